#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_core_symbols.sh - the core (src/core) needs nothing from outside but
# memcpy, memset, memmove and memcmp.
#
#   scripts/check_core_symbols.sh [--label NAME] [--leading-underscore] NM OBJECT...
#
# NM is the target's nm (i686-linux-gnu-nm, x86_64-w64-mingw32-nm, nm, ...);
# the OBJECTs are the core's objects (a build's hdabdl_core_objects.txt lists
# them; the CMake target hdabdl_core_symbols runs this on them). Lists every
# undefined symbol of the objects that no other of them defines, with the
# objects that use it, then one summary line:
#
#   core symbols [NAME]: OK (13 objects; uses memcpy memset)
#   core symbols [NAME]: FAIL (13 objects; not allowed: calloc free malloc; uses memcpy)
#
# Weak undefined symbols (nm types w, v) count as undefined: nothing has to
# define them, but whatever would is outside the core. Linker-made symbols
# (_GLOBAL_OFFSET_TABLE_) are ignored. Windows/COFF: __imp_X (a dllimport) and
# .refptr.X (mingw-w64's pointer to X) stand for X: resolved inside when an
# object defines X, else reported as X. --leading-underscore strips one "_"
# from every name first, for targets whose C names have one (i686 Windows,
# Darwin); ELF and x86-64 Windows have none.
#
# Thread-local variables fail too, even when defined inside: most targets then
# reference a TLS helper (__tls_get_addr, ___tls_get_addr, __tls_get_offset,
# __emutls_get_address), but aarch64's TLS descriptors need none, so a defined
# symbol of ELF type TLS (or mingw-w64's __emutls_v.X) is reported as
# "thread-local X".
#
# Exit status: 0 OK, 1 some symbol is not allowed, 2 usage or nm error.
set -euo pipefail

usage() {
    echo "usage: $0 [--label NAME] [--leading-underscore] NM OBJECT..." >&2
    exit 2
}

label=""
underscore=0
while [ "$#" -gt 0 ]; do
    case "$1" in
    --label) [ "$#" -ge 2 ] || usage; label="$2"; shift 2 ;;
    --leading-underscore) underscore=1; shift ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ "$#" -ge 2 ] || usage
nm="$1"
shift
[ -n "$label" ] || label="$nm"

allowed="memcpy memset memmove memcmp"

# One line per symbol: object <TAB> name <TAB> nm class <TAB> ELF type (from
# nm's System V format: name|value|class|type|size|line|section).
table="$(mktemp)"
trap 'rm -f "$table"' EXIT
for obj in "$@"; do
    if [ ! -f "$obj" ]; then
        echo "check_core_symbols: $obj: no such file" >&2
        exit 2
    fi
    if ! out="$("$nm" -f sysv "$obj")"; then
        echo "check_core_symbols: $nm -f sysv $obj failed" >&2
        exit 2
    fi
    base="${obj##*/}"
    printf '%s\n' "$out" | awk -F '|' -v obj="$base" '
        function trim(x) { gsub(/^[ \t]+|[ \t]+$/, "", x); return x }
        NF >= 7 { print obj "\t" trim($1) "\t" trim($3) "\t" trim($4) }' >>"$table"
done

awk -F '\t' -v label="$label" -v nobj="$#" -v allowed="$allowed" -v us="$underscore" '
function strip(n) { if (us && substr(n, 1, 1) == "_") return substr(n, 2); return n }
function canon(n) {   # __imp__X -> __imp_X with --leading-underscore, and so on
    if (n ~ /^__imp_/) return "__imp_" strip(substr(n, 7))
    if (n ~ /^\.refptr\./) return ".refptr." strip(substr(n, 9))
    return strip(n)
}
BEGIN { split(allowed, a, " "); for (i in a) ok[a[i]] = 1 }
{
    name = canon($2); type = $3
    if (type != "U" && type != "w" && type != "v" && ($4 == "TLS" || name ~ /^__emutls_v\./)) {
        tname = name; sub(/^__emutls_v\./, "", tname)
        if (!((tname, $1) in tseen)) {
            tseen[tname, $1] = 1
            tls[tname] = tls[tname] " " $1
        }
    }
    if (type == "U" || type == "w" || type == "v") {
        if (!((name, $1) in seen)) {
            seen[name, $1] = 1
            users[name] = users[name] " " $1
        }
        undef[name] = 1
        if (type != "U") weak[name] = 1
    } else if (type ~ /^[A-Z]$/ || type == "u" || type == "i") {
        defined[name] = 1   # global (uppercase), GNU unique (u), ifunc (i)
    }
}
END {
    bad = ""; used = ""; nbad = 0
    n = 0
    for (s in undef) order[++n] = s
    # sort the names (no asort in every awk)
    for (i = 2; i <= n; i++) {
        v = order[i]
        for (j = i - 1; j >= 1 && order[j] > v; j--) order[j + 1] = order[j]
        order[j + 1] = v
    }
    for (i = 1; i <= n; i++) {
        s = order[i]
        if (s in defined) continue
        target = s
        if (target ~ /^__imp_/) target = substr(target, 7)
        else if (target ~ /^\.refptr\./) target = substr(target, 9)
        if (target in defined) continue
        if (s == "_GLOBAL_OFFSET_TABLE_" || (us && s == "GLOBAL_OFFSET_TABLE_")) continue
        shown = (target == s) ? s : target " (as " s ")"
        if (s in weak) shown = shown " [weak]"
        if (target in ok) {
            if (!(target in usedset)) { usedset[target] = 1; used = used " " target }
            tag = "allowed"
        } else {
            if (!(target in badset)) { badset[target] = 1; bad = bad " " target; nbad++ }
            tag = "NOT ALLOWED"
        }
        printf "  %-12s %-28s used by%s\n", tag, shown, users[s]
    }
    n = 0
    for (s in tls) torder[++n] = s
    for (i = 2; i <= n; i++) {
        v = torder[i]
        for (j = i - 1; j >= 1 && torder[j] > v; j--) torder[j + 1] = torder[j]
        torder[j + 1] = v
    }
    for (i = 1; i <= n; i++) {
        s = torder[i]
        printf "  %-12s %-28s defined in%s\n", "NOT ALLOWED", "thread-local " s, tls[s]
        bad = bad " thread-local:" s; nbad++
    }
    uses = (used == "") ? "uses nothing" : "uses" used
    if (nbad > 0) {
        printf "core symbols [%s]: FAIL (%d objects; not allowed:%s; %s)\n", label, nobj, bad, uses
        exit 1
    }
    printf "core symbols [%s]: OK (%d objects; %s)\n", label, nobj, uses
}' "$table"
