#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""stack_report.py - worst-case stack use of the core (src/core/*.c).

Compiles every core translation unit with GCC's -fstack-usage and
-fcallgraph-info=su,da into a temporary folder, joins the per-TU call graphs
(.ci, VCG text) and frame sizes (.su), and reports:

  * every core function whose own frame exceeds the frame limit, whose frame is
    dynamic (VLA / alloca), or that is part of a recursion cycle;
  * the worst-case stack depth from every entry point, with the call chain
    that reaches it: each externally visible hdabdl_* function (the public
    DDI; hdabdl__* are library-internal and are not entries), each static
    function that no core function calls (its address is taken: the ddi_*
    interface tables, the HAL trampolines, callback thunks), and two named
    paths: the interrupt path (hdabdl_controller_service_interrupt and
    controller.c's static irq_trampoline) and the timer path (controller.c's
    timer_trampoline and hdabdl__commands_timer).

Depth = the largest sum of frames along a chain of direct calls between core
functions. Calls through function pointers (HAL ops, user callbacks) are not
in the call graph and count 0, as do calls to functions outside the core
(memcpy, calloc, ...). A "dynamic,bounded" frame counts its bound; a plain
"dynamic" one counts its fixed part and is a failure.

Exit status: 0 all within limits; 1 a limit broken, recursion or a dynamic
frame (or a named entry point missing); 2 usage or compile error.

  scripts/stack_report.py                       the core, default limits
  scripts/stack_report.py --json stack.json     also save the table
  scripts/stack_report.py --cflags '-O3 -fPIC'  flags added after -O2
  scripts/stack_report.py --sources a.c b.c     any other set of files
  scripts/stack_report.py --self-test           check the checker
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEFAULT_FRAME_LIMIT = 512
DEFAULT_IRQ_LIMIT = 2048
DEFAULT_OTHER_LIMIT = 4096
DEFAULT_IRQ_ENTRIES = ["hdabdl_controller_service_interrupt", "controller.c:irq_trampoline"]
DEFAULT_TIMER_ENTRIES = ["controller.c:timer_trampoline", "hdabdl__commands_timer"]
INDIRECT = "__indirect_call"

NOTE = ("Depth = largest sum of frames over chains of direct calls between core functions.\n"
        "Calls through function pointers (HAL ops, user callbacks) are invisible to the\n"
        "compiler's call graph and count 0 bytes (PTR = the entry reaches such a call);\n"
        "calls to functions outside the core (memcpy, calloc, ...) count 0 too.\n"
        "'dynamic,bounded' frames (stack adjusted for pushed arguments) count their bound.")


class ToolError(Exception):
    pass


# ---- Include folder with hdabdl/version.h ---------------------------------------------

def project_version(repo):
    try:
        with open(os.path.join(repo, "CMakeLists.txt"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return "0.0.0"
    m = re.search(r"project\s*\([^)]*?\bVERSION\s+([0-9]+(?:\.[0-9]+){0,3})", text, re.S)
    return m.group(1) if m else "0.0.0"


def generate_version_h(template, version, out_path):
    parts = (version.split(".") + ["0", "0", "0"])[:3]
    values = {
        "PROJECT_VERSION": version,
        "PROJECT_VERSION_MAJOR": parts[0],
        "PROJECT_VERSION_MINOR": parts[1],
        "PROJECT_VERSION_PATCH": parts[2],
    }
    with open(template, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^#cmakedefine\s+(\w+).*$", r"/* #undef \1 */", text, flags=re.M)
    text = re.sub(r"@([A-Za-z_][A-Za-z0-9_]*)@", lambda m: values.get(m.group(1), "0"), text)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)


def version_include_dir(repo, tmp):
    """A folder holding hdabdl/version.h: a build folder's copy, else generated."""
    found = sorted(glob.glob(os.path.join(repo, "build*", "include", "hdabdl", "version.h")) +
                   glob.glob(os.path.join(repo, "build*", "*", "include", "hdabdl", "version.h")))
    dest = os.path.join(tmp, "include", "hdabdl", "version.h")
    if found:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(found[0], dest)   # a copy: nothing else of the build folder leaks in
        return os.path.dirname(os.path.dirname(dest)), os.path.relpath(found[0], repo)
    template = os.path.join(repo, "cmake", "version.h.in")
    if not os.path.isfile(template):
        return None, None
    version = project_version(repo)
    generate_version_h(template, version, dest)
    return os.path.dirname(os.path.dirname(dest)), "generated from cmake/version.h.in (%s)" % version


# ---- Compiling -------------------------------------------------------------------------

def compile_all(sources, tmp, cc, flags, includes, jobs):
    """Compile each source into tmp; returns [(source, ci_path, su_path)]."""
    os.makedirs(tmp, exist_ok=True)
    jobs_list = []
    for i, src in enumerate(sources):
        stem = "%03d_%s" % (i, re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.splitext(os.path.basename(src))[0]))
        obj = os.path.join(tmp, stem + ".o")
        cmd = ([cc, "-c", os.path.abspath(src), "-o", obj, "-O2"] + flags +
               ["-fstack-usage", "-fcallgraph-info=su,da"] +
               ["-I" + d for d in includes])
        jobs_list.append((src, cmd, os.path.join(tmp, stem + ".ci"), os.path.join(tmp, stem + ".su")))

    def run(job):
        src, cmd, ci, su = job
        try:
            p = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
        except OSError as e:
            raise ToolError("cannot run %s: %s" % (cmd[0], e))
        if p.returncode != 0:
            raise ToolError("compile failed: %s\n%s" % (" ".join(shlex.quote(c) for c in cmd), p.stdout))
        for path in (ci, su):
            if not os.path.isfile(path):
                raise ToolError("%s wrote no %s (does %s support -fcallgraph-info? GCC >= 10)"
                                % (cmd[0], os.path.basename(path), cmd[0]))
        return (src, ci, su)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(run, jobs_list))


# ---- .ci (VCG) parsing -------------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<word>[A-Za-z_][A-Za-z0-9_.]*|-?[0-9]+)'
                    r'|(?P<punct>[{}:]))', re.S)


def _unquote(s):
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            out.append("\n" if n == "n" else "\t" if n == "t" else n)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _tokens(text):
    pos = 0
    while True:
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            rest = text[pos:].strip()
            if rest:
                raise ToolError("unexpected text in call graph near %r" % rest[:60])
            return
        pos = m.end()
        if m.group("str") is not None:
            yield ("str", _unquote(m.group("str")))
        elif m.group("word") is not None:
            yield ("word", m.group("word"))
        else:
            yield ("punct", m.group("punct"))


def parse_vcg(text):
    """-> (graph attributes, [(kind, attrs)]) for the top graph's node:/edge: items."""
    toks = list(_tokens(text))
    pos = 0

    def block():
        # after '{': key : value pairs and nested 'kind: { ... }' items, until '}'
        nonlocal pos
        attrs, items = {}, []
        while pos < len(toks):
            kind, val = toks[pos]
            if kind == "punct" and val == "}":
                pos += 1
                return attrs, items
            if kind != "word" or pos + 2 >= len(toks) or toks[pos + 1] != ("punct", ":"):
                raise ToolError("call graph: unexpected token %r" % (val,))
            pos += 2
            if toks[pos] == ("punct", "{"):
                pos += 1
                sub_attrs, sub_items = block()
                items.append((val, sub_attrs))
                items.extend(sub_items)
            else:
                attrs[val] = toks[pos][1]
                pos += 1
        return attrs, items   # tolerate a missing final '}'

    if len(toks) < 3 or toks[0] != ("word", "graph") or toks[2] != ("punct", "{"):
        raise ToolError("call graph does not start with 'graph: {'")
    pos = 3
    return block()


_FRAME = re.compile(r"^(\d+) bytes \(([^)]*)\)$")
_LOC = re.compile(r"^(.*):(\d+):(\d+)$")


class Func:
    def __init__(self, key, name, tu, static, frame, qualifier, loc, label_name):
        self.key = key               # (tu, name) for statics, (None, name) for globals
        self.name = name             # the assembler name (clones: foo.constprop.0)
        self.label_name = label_name
        self.tu = tu
        self.static = static
        self.frame = frame
        self.qualifier = qualifier   # static | dynamic | dynamic,bounded
        self.loc = loc               # (file, line, col) of the definition
        self.calls = []              # raw callee titles, in order
        self.callees = []            # resolved core Func keys
        self.externals = set()       # callees outside the core
        self.indirect_sites = []     # call-site locations through pointers
        self.dynamic_objects = []    # from da: "name location"
        self.su = None               # (frame, qualifier) from .su, when it matched

    def display(self, rel):
        return "%s:%s" % (rel.tu(self.tu), self.name) if self.static else self.name

    @property
    def unbounded(self):
        return "dynamic" in self.qualifier and "bounded" not in self.qualifier


def parse_su(path):
    """-> {(file, line, col, name): [(frame, qualifier), ...]}"""
    entries = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 3:
                raise ToolError("%s: unexpected line %r" % (path, line))
            where = fields[0].rsplit(":", 3)
            if len(where) != 4:
                raise ToolError("%s: unexpected location %r" % (path, fields[0]))
            key = (where[0], where[1], where[2], where[3])
            entries.setdefault(key, []).append((int(fields[1]), fields[2]))
    return entries


class Program:
    def __init__(self):
        self.funcs = {}          # key -> Func
        self.globals = {}        # name -> key
        self.warnings = []
        self.tus = []
        self.locals = {}         # TU -> {node title: Func defined there}

    def add_tu(self, source, ci_path, su_path):
        with open(ci_path, encoding="utf-8", errors="replace") as f:
            graph, items = parse_vcg(f.read())
        tu = graph.get("title", os.path.abspath(source))
        self.tus.append(tu)
        su = parse_su(su_path)
        used_su = set()
        local = {}               # title -> Func, this TU's definitions
        for kind, attrs in items:
            if kind != "node":
                continue
            title = attrs.get("title", "")
            lines = attrs.get("label", "").split("\n")
            frame = None
            for i, l in enumerate(lines):
                m = _FRAME.match(l.strip())
                if m:
                    frame = (int(m.group(1)), m.group(2), i)
                    break
            if frame is None:
                continue         # not defined here: external, or the indirect-call placeholder
            if title.startswith(tu + ":"):
                static, name = True, title[len(tu) + 1:]
            elif ":" in title:   # a static titled by some other file name
                static, name = True, title.rpartition(":")[2]
                self.warnings.append("%s: static %r has a prefix other than the graph title" % (tu, title))
            else:
                static, name = False, title
            m = _LOC.match(lines[1]) if len(lines) > 1 else None
            loc = (m.group(1), int(m.group(2)), int(m.group(3))) if m else ("?", 0, 0)
            key = (tu, name) if static else (None, name)
            fn = Func(key, name, tu, static, frame[0], frame[1], loc, lines[0])
            fn.dynamic_objects = [l.strip() for l in lines[frame[2] + 1:]
                                  if l.strip() and not re.match(r"^\d+ dynamic objects?$", l.strip())]
            su_key = (loc[0], str(loc[1]), str(loc[2]), lines[0])
            rows = su.get(su_key)
            if rows:
                used_su.add(su_key)
                if len(rows) == 1:
                    fn.su = rows[0]
                    if rows[0] != (fn.frame, fn.qualifier):
                        self.warnings.append("%s: .su says %s bytes (%s), .ci %s bytes (%s)"
                                             % (title, rows[0][0], rows[0][1], fn.frame, fn.qualifier))
            else:
                self.warnings.append("%s: no .su line for %s" % (os.path.basename(su_path), title))
            if key in self.funcs:
                old = self.funcs[key]
                self.warnings.append("%s is defined twice (%s and %s); the larger frame is used"
                                     % (name, old.loc[0], loc[0]))
                if old.frame >= fn.frame:
                    local[title] = old
                    continue
            self.funcs[key] = fn
            local[title] = fn
            if not static:
                self.globals[name] = key
        for k in su:
            if k not in used_su:
                self.warnings.append("%s: .su line %s:%s:%s:%s has no call graph node"
                                     % (os.path.basename(su_path), *k))
        for kind, attrs in items:
            if kind != "edge":
                continue
            src = local.get(attrs.get("sourcename"))
            if src is None:
                self.warnings.append("%s: edge from unknown node %r" % (tu, attrs.get("sourcename")))
                continue
            src.calls.append((tu, attrs.get("targetname", ""), attrs.get("label", "")))
        self.locals[tu] = local

    def link(self):
        for fn in self.funcs.values():
            seen = set()
            for tu, target, site in fn.calls:
                if target == INDIRECT:
                    fn.indirect_sites.append(site)
                    continue
                local = self.locals[tu]
                if target in local:
                    key = local[target].key
                elif target.startswith(tu + ":"):
                    key = (tu, target[len(tu) + 1:])
                elif ":" not in target and target in self.globals:
                    key = self.globals[target]
                else:
                    fn.externals.add(target)
                    continue
                if key in self.funcs and key not in seen:
                    seen.add(key)
                    fn.callees.append(key)


# ---- Analysis ------------------------------------------------------------------------------

def find_cycles(funcs):
    """Tarjan's strongly connected components; -> [[key, ...]] that are cycles."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(funcs, key=str):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on_stack.add(v)
            callees = funcs[v].callees
            recurse = False
            while i < len(callees):
                w = callees[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in funcs[v].callees:
                    out.append(sorted(comp, key=str))
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    return out


def depths(funcs):
    """Longest frame sum from each function: {key: (depth, next_key or None)}.

    A cycle is cut at its DFS back edge, so depths through recursion are lower
    bounds (the real one is unbounded); callers flag those."""
    memo, state = {}, {}
    for root in sorted(funcs, key=str):
        if root in memo:
            continue
        work = [(root, 0)]
        state[root] = 1
        while work:
            v, i = work.pop()
            callees = funcs[v].callees
            pushed = False
            while i < len(callees):
                w = callees[i]
                i += 1
                if state.get(w) is None:
                    state[w] = 1
                    work.append((v, i))
                    work.append((w, 0))
                    pushed = True
                    break
            if pushed:
                continue
            best, nxt = 0, None
            for w in callees:
                if w in memo and memo[w][0] > best:   # on-stack (back edge): skipped
                    best, nxt = memo[w][0], w
            memo[v] = (funcs[v].frame + best, nxt)
            state[v] = 2
    return memo


def reachable(funcs, key):
    seen, todo = {key}, [key]
    while todo:
        for w in funcs[todo.pop()].callees:
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def resolve_entry(program, spec):
    """'name' (a global, else a unique static) or 'file.c:name' (a static of that TU)."""
    if ":" in spec:
        file_part, _, name = spec.rpartition(":")
        hits = [k for k, f in program.funcs.items()
                if f.name == name and f.static and
                (f.tu == file_part or f.tu.endswith("/" + file_part) or
                 os.path.basename(f.tu) == file_part)]
        if not hits and name in program.globals:
            hits = [program.globals[name]]
    else:
        if spec in program.globals:
            return [program.globals[spec]]
        hits = [k for k, f in program.funcs.items() if f.name == spec]
    return hits


def analyse(program, args, rel):
    funcs = program.funcs
    problems = []
    cycles = find_cycles(funcs)
    in_cycle = {k for c in cycles for k in c}
    memo = depths(funcs)

    big = sorted((f for f in funcs.values() if f.frame > args.frame_limit),
                 key=lambda f: (-f.frame, f.display(rel)))
    dynamic = sorted((f for f in funcs.values() if "dynamic" in f.qualifier),
                     key=lambda f: f.display(rel))
    for f in big:
        problems.append("frame of %s is %d bytes (limit %d)" % (f.display(rel), f.frame, args.frame_limit))
    for f in dynamic:
        if f.unbounded:
            problems.append("dynamic (unbounded) frame in %s%s" % (
                f.display(rel), ": " + ", ".join(rel_objects(o, rel) for o in f.dynamic_objects)
                if f.dynamic_objects else ""))
    for c in cycles:
        problems.append("recursion: %s" % " -> ".join(funcs[k].display(rel) for k in c + c[:1]))

    # Entry points; the kind picks the limit (irq/timer: --irq-limit, else --other-limit).
    entries = {}   # key -> kind
    missing = []
    for kind, specs in (("irq", args.irq_entry), ("timer", args.timer_entry)):
        for spec in specs:
            hits = resolve_entry(program, spec)
            if len(hits) != 1:
                missing.append((kind, spec, len(hits)))
                continue
            entries.setdefault(hits[0], kind)
    called = {w for f in funcs.values() for w in f.callees}
    for key, f in funcs.items():
        if key in entries:
            continue
        if not f.static and f.name.startswith(args.entry_prefix) and \
                not f.name.startswith(args.entry_prefix + "_"):
            entries[key] = "public"
        elif f.static and key not in called and not args.no_pointer_entries:
            entries[key] = "pointer"   # kept although never called: its address is taken
    for extra in args.entry:
        hits = resolve_entry(program, extra)
        if len(hits) != 1:
            problems.append("entry %r: %s" % (extra, "not found" if not hits else "%d matches" % len(hits)))
        for key in hits:
            entries.setdefault(key, "extra")
    for kind, spec, n in missing:
        msg = "%s entry %r: %s" % (kind, spec, "not found" if n == 0 else "%d matches" % n)
        if args.named_entries_optional:
            program.warnings.append(msg)
        else:
            problems.append(msg)

    rows = []
    for key, kind in entries.items():
        limit = args.irq_limit if kind in ("irq", "timer") else args.other_limit
        path, k = [], key
        while k is not None:
            path.append(k)
            k = memo[k][1]
        reach = reachable(funcs, key)
        unbounded_via = sorted(funcs[k].display(rel) for k in reach if k in in_cycle or funcs[k].unbounded)
        pointer_calls = sum(len(funcs[k].indirect_sites) for k in reach)
        depth = memo[key][0]
        ok = depth <= limit and not unbounded_via
        rows.append({
            "entry": funcs[key].display(rel),
            "kind": kind,
            "depth": depth,
            "limit": limit,
            "ok": ok,
            "unbounded_via": unbounded_via,
            "pointer_call_sites": pointer_calls,
            "path": [{"function": funcs[k].display(rel), "frame": funcs[k].frame,
                      "qualifier": funcs[k].qualifier,
                      "location": "%s:%d" % (rel(funcs[k].loc[0]), funcs[k].loc[1])} for k in path],
        })
        if depth > limit:
            problems.append("%s path from %s: %d bytes (limit %d)" % (kind, funcs[key].display(rel), depth, limit))
        elif unbounded_via:
            problems.append("%s path from %s is unbounded (via %s)" % (kind, funcs[key].display(rel),
                                                                     ", ".join(unbounded_via)))
    order = {"irq": 0, "timer": 1}
    rows.sort(key=lambda r: (-r["depth"], order.get(r["kind"], 2), r["entry"]))
    return {"big": big, "dynamic": dynamic, "cycles": cycles, "rows": rows, "problems": problems}


# ---- Output ----------------------------------------------------------------------------------

def print_report(program, result, args, rel, header, out=sys.stdout):
    funcs = program.funcs
    w = lambda s="": print(s, file=out)
    w(header)
    w(NOTE)
    w()
    w("Frames over %d bytes:" % args.frame_limit)
    for f in result["big"]:
        w("  %7d  %-16s %s  (%s:%d)" % (f.frame, f.qualifier, f.display(rel), rel(f.loc[0]), f.loc[1]))
    if not result["big"]:
        w("  none")
    def dyn_line(f):
        objs = "; ".join(rel_objects(o, rel) for o in f.dynamic_objects)
        return "  %7d  %-16s %s  (%s:%d)%s" % (f.frame, f.qualifier, f.display(rel), rel(f.loc[0]),
                                              f.loc[1], "  " + objs if objs else "")
    unbounded = [f for f in result["dynamic"] if f.unbounded]
    bounded = [f for f in result["dynamic"] if not f.unbounded]
    w("Dynamic frames (VLA / alloca):")
    for f in unbounded:
        w(dyn_line(f))
    if not unbounded:
        w("  none")
    if bounded:
        w("Dynamic but bounded (pushed call arguments; counted at the bound, not a failure): %d" % len(bounded))
        if args.verbose:
            for f in bounded:
                w(dyn_line(f))
    w("Recursion cycles:")
    for c in result["cycles"]:
        w("  " + " -> ".join(funcs[k].display(rel) for k in c + c[:1]))
    if not result["cycles"]:
        w("  none")
    w()
    rows = result["rows"]
    w("Worst-case stack depth per entry point (limits: irq/timer %d, others %d bytes):"
      % (args.irq_limit, args.other_limit))
    w("  %7s  %6s  %-7s  %-4s  %-3s  %s" % ("DEPTH", "LIMIT", "KIND", "OK", "PTR", "ENTRY"))
    for r in rows:
        w("  %7d  %6d  %-7s  %-4s  %-3s  %s" % (
            r["depth"], r["limit"], r["kind"], "ok" if r["ok"] else "FAIL",
            "yes" if r["pointer_call_sites"] else "no", r["entry"]))
        if not args.no_paths:
            chain = " > ".join("%s %d" % (p["function"], p["frame"]) for p in r["path"])
            w("  %s  %s" % (" " * 33, chain))
        if r["unbounded_via"]:
            w("  %s  unbounded via %s" % (" " * 33, ", ".join(r["unbounded_via"])))
    w("KIND: irq/timer = the named interrupt and timer paths; public = an extern %s* function;"
      % args.entry_prefix)
    w("      pointer = a static function no core function calls (its address is taken);")
    w("      extra = given with --entry.")
    if program.warnings:
        w()
        w("Warnings:")
        for m in program.warnings:
            w("  " + m)
    w()
    if result["problems"]:
        w("FAIL: %d problem(s):" % len(result["problems"]))
        for p in result["problems"]:
            w("  " + p)
    else:
        w("OK: every frame and path is within its limit; no recursion, no dynamic frame.")


def rel_objects(o, rel):
    name, _, loc = o.rpartition(" ")
    m = _LOC.match(loc)
    if name in ("", "(null)"):
        name = "alloca"   # da names a VLA by its variable, an alloca "(null)"
    return "%s at %s:%s" % (name, rel(m.group(1)), m.group(2)) if m else o


class Rel:
    """Paths relative to base; a TU by its file name when that is unique."""

    def __init__(self, base, tus=()):
        self.base = base
        names = [os.path.basename(t) for t in tus]
        self.short = {t: os.path.basename(t) for t in tus if names.count(os.path.basename(t)) == 1}

    def __call__(self, path):
        if path and os.path.isabs(path):
            r = os.path.relpath(path, self.base)
            return path if r.startswith("..") else r
        return path

    def tu(self, path):
        return self.short.get(path) or self(path)


def run_analysis(args, sources, tmp, includes):
    cc_flags = []
    for f in args.cflags:
        cc_flags += shlex.split(f)
    program = Program()
    for src, ci, su in compile_all(sources, tmp, args.cc, cc_flags, includes, args.jobs):
        program.add_tu(src, ci, su)
    program.link()
    return program


# ---- Self-test -------------------------------------------------------------------------------

SELF_A = r"""
#include <string.h>
extern void ext_fn(char *);
typedef void (*callback)(void);

/* Recursion: mutual (noipa keeps both out of line) and direct. */
__attribute__((noipa)) int hdabdl_rec_a(int n);
__attribute__((noipa)) static int rec_b(int n) { return n > 0 ? hdabdl_rec_a(n - 1) * 3 + 1 : 0; }
__attribute__((noipa)) int hdabdl_rec_a(int n) { return n > 0 ? rec_b(n - 1) * 2 + 1 : 0; }
int hdabdl_self_rec(int n) { volatile int x = n; return n > 0 ? hdabdl_self_rec(n - 1) * x + 1 : 0; }

/* Dynamic frames. */
int hdabdl_vla(int n) { volatile char buf[n]; buf[0] = 1; return buf[n - 1]; }
int hdabdl_alloca(int n) { volatile char *p = __builtin_alloca(n); p[0] = 1; return p[n - 1]; }

/* Summing through statics: entry -> mid -> leaf (this file's mid, not b.c's). */
__attribute__((noipa)) static int leaf(int i) { char buf[300]; ext_fn(buf); return buf[i]; }
__attribute__((noipa)) static int mid(int i) { char buf[200]; ext_fn(buf); memset(buf, 1, 10); return buf[i] + leaf(i); }
__attribute__((noipa)) int hdabdl_sum_entry(int i, callback cb)
{
    char buf[100];
    cb();
    ext_fn(buf);
    return mid(i) + buf[i];
}
"""

SELF_B = r"""
extern void ext_fn(char *);
int hdabdl_sum_entry(int i, void (*cb)(void));

/* A big frame, in a static called by a public function; and another 'mid'. */
__attribute__((noipa)) static int mid(int i) { char buf[2000]; ext_fn(buf); return buf[i]; }
__attribute__((noipa)) int hdabdl_big(int i) { return mid(i) + 1; }

/* Cross-TU: calls a.c's global, which must resolve to a.c's chain. */
__attribute__((noipa)) static void nop(void) { }
__attribute__((noipa)) int hdabdl_b_entry(int i) { char buf[64]; ext_fn(buf); return hdabdl_sum_entry(i, nop) + buf[i]; }

/* Named paths: a static trampoline (address taken) and an internal timer. */
__attribute__((noipa)) void hdabdl__timer(int i) { char buf[40]; ext_fn(buf); }
static void trampoline(void *arg) { hdabdl__timer((int)(long)arg); }
void (*volatile hdabdl_keep)(void *) = trampoline;
"""


def self_test(args):
    failures = []

    def check(cond, what):
        print("  %-4s %s" % ("ok" if cond else "FAIL", what))
        if not cond:
            failures.append(what)

    tmp = tempfile.mkdtemp(prefix="stack_report_selftest_")
    try:
        src_dir = os.path.join(tmp, "src")
        os.makedirs(src_dir)
        a, b = os.path.join(src_dir, "a.c"), os.path.join(src_dir, "b.c")
        for path, text in ((a, SELF_A), (b, SELF_B)):
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        ns = argparse.Namespace(**vars(args))
        ns.irq_entry = ["b.c:trampoline"]
        ns.timer_entry = ["hdabdl__timer"]
        ns.entry, ns.named_entries_optional = [], False
        program = run_analysis(ns, [a, b], os.path.join(tmp, "obj"), [])
        rel = Rel(src_dir, program.tus)
        result = analyse(program, ns, rel)
        print_report(program, result, ns, rel, "self-test report (%s):" % ns.cc)
        print()
        print("self-test checks:")
        f = program.funcs
        ka, kb = program.tus[0], program.tus[1]
        rows = {r["entry"]: r for r in result["rows"]}
        cyc = [sorted(f[k].display(rel) for k in c) for c in result["cycles"]]
        check(["a.c:rec_b", "hdabdl_rec_a"] in cyc, "mutual recursion hdabdl_rec_a <-> a.c:rec_b found")
        check(["hdabdl_self_rec"] in cyc, "direct recursion hdabdl_self_rec found")
        dyn = {x.display(rel) for x in result["dynamic"] if x.unbounded}
        check({"hdabdl_vla", "hdabdl_alloca"} <= dyn, "VLA and alloca frames reported as dynamic")
        check(any("hdabdl_vla" in p and "dynamic" in p for p in result["problems"]), "a dynamic frame is a failure")
        big = {x.display(rel) for x in result["big"]}
        check(big == {"b.c:mid"}, "the only frame over %d bytes is b.c:mid (got %s)" % (ns.frame_limit, sorted(big)))
        ma, la, ea = f[(ka, "mid")], f[(ka, "leaf")], f[(None, "hdabdl_sum_entry")]
        mb = f[(kb, "mid")]
        check(ma.frame != mb.frame, "same-name statics a.c:mid (%d) and b.c:mid (%d) kept apart" % (ma.frame, mb.frame))
        r = rows.get("hdabdl_sum_entry")
        want = ea.frame + ma.frame + la.frame
        check(r is not None and r["depth"] == want,
              "hdabdl_sum_entry depth = entry + a.c:mid + a.c:leaf = %d (got %s)" % (want, r and r["depth"]))
        check(r is not None and [p["function"] for p in r["path"]] == ["hdabdl_sum_entry", "a.c:mid", "a.c:leaf"],
              "worst path of hdabdl_sum_entry goes through a.c's statics")
        check(r is not None and r["pointer_call_sites"] == 1 and r["ok"], "its call through a pointer counts 0 and is flagged")
        su_ok = all(x.su is not None and x.su[0] == x.frame for x in (ea, ma, la, mb))
        check(su_ok, ".su frame sizes agree with the call graph's")
        r = rows.get("hdabdl_b_entry")
        want = f[(None, "hdabdl_b_entry")].frame + want
        check(r is not None and r["depth"] == want, "cross-TU call sums into a.c's chain (%d, got %s)"
              % (want, r and r["depth"]))
        r = rows.get("hdabdl_big")
        want = f[(None, "hdabdl_big")].frame + mb.frame
        check(r is not None and r["depth"] == want, "hdabdl_big = its frame + b.c:mid's = %d (got %s)"
              % (want, r and r["depth"]))
        check(any(p.startswith("frame of b.c:mid") for p in result["problems"]), "a big frame is a failure")
        r = rows.get("hdabdl_rec_a")
        check(r is not None and not r["ok"] and r["unbounded_via"], "an entry reaching recursion is unbounded")
        r = rows.get("b.c:trampoline")
        check(r is not None and r["kind"] == "irq" and
              r["depth"] == f[(kb, "trampoline")].frame + f[(None, "hdabdl__timer")].frame,
              "static named entry b.c:trampoline resolved and summed")
        check("hdabdl__timer" in rows and rows["hdabdl__timer"]["kind"] == "timer",
              "internal hdabdl__ function usable as a named entry")
        check(rows.get("b.c:nop", {}).get("kind") == "pointer", "address-taken static b.c:nop is a 'pointer' entry")
        check(bool(result["problems"]), "the synthetic sources fail overall (exit 1)")
        # The same problems must also be caught with a tighter custom limit.
        ns2 = argparse.Namespace(**vars(ns))
        ns2.other_limit = rows["hdabdl_sum_entry"]["depth"] - 1
        res2 = analyse(program, ns2, rel)
        check(any("hdabdl_sum_entry" in p for p in res2["problems"]), "--other-limit below a depth fails that entry")
    except ToolError as e:
        print("self-test: %s" % e, file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    if failures:
        print("self-test FAILED: %d check(s)" % len(failures))
        return 1
    print("self-test passed")
    return 0


# ---- Main ------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Worst-case stack use of the hdabdl core from GCC's -fstack-usage / -fcallgraph-info.",
        epilog=NOTE, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cc", default=os.environ.get("CC_STACK", "gcc"), help="GCC driver (default gcc)")
    ap.add_argument("--cflags", action="append", default=[], metavar="FLAGS",
                    help="extra compiler flags, added after -O2 (repeatable; shell-split)")
    ap.add_argument("--include-dir", action="append", default=[], metavar="DIR",
                    help="extra include folder (e.g. one with hdabdl/version.h); "
                         "if given, no version.h is looked for or generated")
    ap.add_argument("--sources", nargs="+", metavar="FILE",
                    help="C files to analyse (default src/core/*.c)")
    ap.add_argument("--frame-limit", type=int, default=DEFAULT_FRAME_LIMIT,
                    help="largest frame of one function (default %(default)s)")
    ap.add_argument("--irq-limit", type=int, default=DEFAULT_IRQ_LIMIT,
                    help="depth limit of the interrupt and timer paths (default %(default)s)")
    ap.add_argument("--other-limit", type=int, default=DEFAULT_OTHER_LIMIT,
                    help="depth limit of every other entry point (default %(default)s)")
    ap.add_argument("--irq-entry", action="append", metavar="[FILE:]NAME",
                    help="interrupt-path entry (repeatable; replaces the defaults %s)" % DEFAULT_IRQ_ENTRIES)
    ap.add_argument("--timer-entry", action="append", metavar="[FILE:]NAME",
                    help="timer-path entry (repeatable; replaces the defaults %s)" % DEFAULT_TIMER_ENTRIES)
    ap.add_argument("--entry", action="append", default=[], metavar="[FILE:]NAME",
                    help="another entry point, checked against --other-limit")
    ap.add_argument("--entry-prefix", default="hdabdl_",
                    help="extern functions with this prefix (but not prefix + '_') are entries")
    ap.add_argument("--no-pointer-entries", action="store_true",
                    help="don't list uncalled (address-taken) static functions as entries")
    ap.add_argument("--no-paths", action="store_true", help="don't print the worst-case chains")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list the dynamic,bounded frames")
    ap.add_argument("--root", metavar="DIR", default=REPO,
                    help="the checkout to analyse: its src/core/*.c, include/, src/, src/core/, "
                         "cmake/version.h.in (default: the one holding this script)")
    ap.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="parallel compiles (default 1)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    ap.add_argument("--self-test", action="store_true",
                    help="compile small synthetic files and check the detection works")
    argv = list(sys.argv[1:] if argv is None else argv)
    for i in range(len(argv) - 1):   # '--cflags -O3': a value that starts with '-'
        if argv[i] == "--cflags":
            argv[i:i + 2] = ["--cflags=" + argv[i + 1], ""]
    args = ap.parse_args([a for a in argv if a != ""])

    if args.self_test:
        return self_test(args)

    root = os.path.abspath(args.root)
    args.named_entries_optional = False
    if args.sources:
        sources = args.sources
        # Default named paths are the core's; elsewhere their absence is only a warning.
        args.named_entries_optional = args.irq_entry is None and args.timer_entry is None
    else:
        sources = sorted(glob.glob(os.path.join(root, "src", "core", "*.c")))
        if not sources:
            print("stack_report: no src/core/*.c under %s" % root, file=sys.stderr)
            return 2
    args.irq_entry = args.irq_entry or list(DEFAULT_IRQ_ENTRIES)
    args.timer_entry = args.timer_entry or list(DEFAULT_TIMER_ENTRIES)

    tmp = tempfile.mkdtemp(prefix="stack_report_")
    try:
        includes = [os.path.join(root, d) for d in ("include", "src", os.path.join("src", "core"))]
        version_note = "--include-dir"
        if args.include_dir:
            includes += [os.path.abspath(d) for d in args.include_dir]
        else:
            vdir, version_note = version_include_dir(root, tmp)
            if vdir:
                includes.append(vdir)
        try:
            program = run_analysis(args, sources, os.path.join(tmp, "obj"), includes)
        except ToolError as e:
            print("stack_report: %s" % e, file=sys.stderr)
            return 2
        rel = Rel(root, program.tus)
        result = analyse(program, args, rel)
        try:
            ver = subprocess.run([args.cc, "-dumpfullversion"], stdout=subprocess.PIPE,
                                 universal_newlines=True).stdout.strip()
        except OSError:
            ver = "?"
        flags = " ".join(["-O2"] + args.cflags)
        header = ("Stack report of %s: %d translation units, %d functions\n"
                  "  %s %s: %s -fstack-usage -fcallgraph-info=su,da; version.h: %s"
                  % ("the given sources" if args.sources else root, len(program.tus), len(program.funcs),
                     args.cc, ver, flags, version_note))
        print_report(program, result, args, rel, header)
        if args.json:
            data = {
                "compiler": "%s %s" % (args.cc, ver),
                "flags": flags,
                "limits": {"frame": args.frame_limit, "irq_timer": args.irq_limit, "other": args.other_limit},
                "note": NOTE,
                "ok": not result["problems"],
                "problems": result["problems"],
                "big_frames": [{"function": f.display(rel), "frame": f.frame, "qualifier": f.qualifier}
                               for f in result["big"]],
                "dynamic_frames": [{"function": f.display(rel), "frame": f.frame, "qualifier": f.qualifier,
                                    "objects": f.dynamic_objects} for f in result["dynamic"]],
                "cycles": [[program.funcs[k].display(rel) for k in c] for c in result["cycles"]],
                "entries": result["rows"],
                "warnings": program.warnings,
            }
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=2)
                f.write("\n")
        return 1 if result["problems"] else 0
    finally:
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
