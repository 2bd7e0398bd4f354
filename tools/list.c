/* SPDX-License-Identifier: MIT */
/*
 * list.c - `hdabdl list`: the HD Audio controllers on the PCI bus.
 *
 *   hdabdl list [--json]
 *
 * Discovery only (libpciaccess and the sysfs `driver` and `iommu_group`
 * links): nothing is opened, no privileges are needed. For each controller
 * (PCI class 0x0403xx): its address, IDs, the driver it is bound to, its IOMMU
 * group, and the modes `--mode` would accept with that binding, or what to do
 * to make it usable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HDABDL_HAVE_PCIACCESS
#include "hdabdl/pciaccess.h"
#endif

#include "cli.h"

static const char *const CMD = "list";

void cli_list_help(FILE *out)
{
    fprintf(out,
            "Usage: hdabdl list [--json]\n"
            "\n"
            "List the High Definition Audio controllers on the PCI bus (class 0x0403):\n"
            "address (BDF), vendor:device and subsystem IDs, revision, the driver bound to\n"
            "it, its IOMMU group, and which modes the pciaccess backend can use with that\n"
            "binding: vfio when bound to vfio-pci (and in an IOMMU group), uio when bound\n"
            "to uio_pci_generic. A controller held by another driver (snd_hda_intel) or by\n"
            "none is listed with what to do. Nothing is opened; no privileges are needed.\n"
            "\n"
            "Options:\n"
            "  --json             print a JSON array with one object per controller\n"
            "  -h, --help         show this help\n"
            "\n"
            "Exit codes: 0 success (also when there is no controller), 1 the PCI bus\n"
            "cannot be scanned, 2 usage error (or the pciaccess backend is not built).\n");
}

enum { OPT_JSON, OPT_HELP };

static const struct cli_option option_table[] = {
    [OPT_JSON] = { "--json", NULL, false },
    [OPT_HELP] = { "--help", "-h", false },
};

#ifdef HDABDL_HAVE_PCIACCESS
static void modes_text(const struct hdabdl_pci_device_info *d, char *buf, size_t len)
{
    buf[0] = '\0';
    if (d->modes & HDABDL_PCI_MODE_BIT(HDABDL_PCI_MODE_VFIO))
        snprintf(buf, len, "vfio");
    if (d->modes & HDABDL_PCI_MODE_BIT(HDABDL_PCI_MODE_UIO))
        snprintf(buf + strlen(buf), len - strlen(buf), "%suio", buf[0] ? "," : "");
    if (buf[0] == '\0')
        snprintf(buf, len, "-");
}

/* What to do to make the device usable, or NULL if it is. */
static const char *advice(const struct hdabdl_pci_device_info *d)
{
    switch (d->binding) {
    case HDABDL_PCI_BINDING_NONE:
        return "no driver: bind vfio-pci (see README, \"Binding a controller\")";
    case HDABDL_PCI_BINDING_OTHER:
        return "held by another driver: unbind it and bind vfio-pci (see README)";
    case HDABDL_PCI_BINDING_VFIO:
        return d->iommu_group < 0 ? "bound to vfio-pci but in no IOMMU group" : NULL;
    case HDABDL_PCI_BINDING_UIO:
        return NULL;
    }
    return NULL;
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}
#endif

int cli_list_run(int argc, char **argv)
{
    bool json = false;
    int index = 1;
    for (;;) {
        const char *value = NULL;
        int which = cli_next_option(CMD, option_table, sizeof(option_table) / sizeof(option_table[0]),
                                    argc, argv, &index, &value);
        if (which == CLI_OPT_END)
            break;
        switch (which) {
        case OPT_JSON:
            json = true;
            break;
        case OPT_HELP:
            cli_list_help(stdout);
            return CLI_EXIT_OK;
        default:
            return CLI_EXIT_USAGE;
        }
    }
#ifndef HDABDL_HAVE_PCIACCESS
    (void)json;
    cli_usage_error(CMD, "listing PCI controllers needs the pciaccess backend, which this build does "
                    "not have (libpciaccess was not found; backends built: %s)", cli_backend_names());
    return CLI_EXIT_USAGE;
#else
    struct hdabdl_pci_device_info *devs = NULL;
    size_t n = 0;
    hdabdl_status st = hdabdl_pci_list(&devs, &n);
    if (!HDABDL_NT_SUCCESS(st)) {
        const char *why = hdabdl_pci_last_error();
        cli_error(CMD, "cannot scan the PCI bus: %s (%s)%s%s", hdabdl_status_name(st),
                  hdabdl_status_message(st), why[0] ? ": " : "", why);
        return CLI_EXIT_FAILURE;
    }
    char modes[32];
    if (json) {
        fputs("[", stdout);
        for (size_t i = 0; i < n; i++) {
            const struct hdabdl_pci_device_info *d = &devs[i];
            modes_text(d, modes, sizeof(modes));
            printf("%s\n  {\"bdf\": ", i ? "," : "");
            json_string(d->bdf);
            printf(", \"vendor_id\": \"0x%04x\", \"device_id\": \"0x%04x\", "
                   "\"subsystem_vendor_id\": \"0x%04x\", \"subsystem_id\": \"0x%04x\", "
                   "\"revision\": \"0x%02x\", \"class\": \"0x%06x\", \"driver\": ",
                   d->ids.vendor_id, d->ids.device_id, d->ids.subsystem_vendor_id, d->ids.subsystem_id,
                   d->ids.revision, (unsigned)d->class_code);
            if (d->driver[0])
                json_string(d->driver);
            else
                fputs("null", stdout);
            printf(", \"binding\": \"%s\", \"iommu_group\": ", hdabdl_pci_binding_name(d->binding));
            if (d->iommu_group >= 0)
                printf("%d", d->iommu_group);
            else
                fputs("null", stdout);
            printf(", \"bar0\": \"0x%llx\", \"bar0_size\": %llu, \"modes\": [",
                   (unsigned long long)d->bar0_base, (unsigned long long)d->bar0_size);
            bool first = true;
            for (int m = HDABDL_PCI_MODE_VFIO; m <= HDABDL_PCI_MODE_UIO; m++) {
                if (d->modes & HDABDL_PCI_MODE_BIT(m)) {
                    printf("%s\"%s\"", first ? "" : ", ", hdabdl_pci_mode_name((enum hdabdl_pci_mode)m));
                    first = false;
                }
            }
            fputs("]}", stdout);
        }
        fputs(n ? "\n]\n" : "]\n", stdout);
    } else if (n == 0) {
        printf("no HD Audio controller (PCI class 0x0403) found\n");
    } else {
        printf("%-13s %-10s %-10s %-4s %-16s %-6s %s\n", "BDF", "ID", "SUBSYSTEM", "REV", "DRIVER",
               "IOMMU", "MODES");
        for (size_t i = 0; i < n; i++) {
            const struct hdabdl_pci_device_info *d = &devs[i];
            char group[16];
            modes_text(d, modes, sizeof(modes));
            if (d->iommu_group >= 0)
                snprintf(group, sizeof(group), "%d", d->iommu_group);
            else
                snprintf(group, sizeof(group), "-");
            char ids[16], sub[16];
            snprintf(ids, sizeof(ids), "%04x:%04x", d->ids.vendor_id, d->ids.device_id);
            snprintf(sub, sizeof(sub), "%04x:%04x", d->ids.subsystem_vendor_id, d->ids.subsystem_id);
            printf("%-13s %-10s %-10s %02x   %-16s %-6s %s\n", d->bdf, ids, sub, d->ids.revision,
                   d->driver[0] ? d->driver : "(none)", group, modes);
            const char *todo = advice(d);
            if (todo != NULL)
                printf("  %s: %s\n", d->bdf, todo);
        }
    }
    fflush(stdout);
    hdabdl_pci_list_free(devs);
    return CLI_EXIT_OK;
#endif
}
