/* SPDX-License-Identifier: MIT */
/*
 * pci_discover.c - libpciaccess (initialised once, under one process-wide
 * lock) and the sysfs links that tell who owns a device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci_internal.h"

static pthread_mutex_t pci_global_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned pci_users;

void hdabdl__pci_lock(void)
{
    pthread_mutex_lock(&pci_global_lock);
}

void hdabdl__pci_unlock(void)
{
    pthread_mutex_unlock(&pci_global_lock);
}

int hdabdl__pci_system_acquire(const struct hdabdl_pci_sys *sys)
{
    int rc = 0;
    hdabdl__pci_lock();
    if (pci_users == 0)
        rc = sys->pci_system_init();
    if (rc == 0)
        pci_users++;
    hdabdl__pci_unlock();
    return rc;
}

void hdabdl__pci_system_release(const struct hdabdl_pci_sys *sys)
{
    hdabdl__pci_lock();
    if (pci_users > 0 && --pci_users == 0)
        sys->pci_system_cleanup();
    hdabdl__pci_unlock();
}

/* A hex number of 1..@digits digits ending at one of @ends; advances *p past the end char. */
static bool parse_hex(const char **p, unsigned digits, const char *ends, uint32_t max, uint32_t *out)
{
    uint32_t v = 0;
    unsigned n = 0;
    const char *s = *p;
    for (; n < digits; n++, s++) {
        char c = *s;
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            break;
        v = v * 16 + d;
    }
    bool end_ok = *s ? strchr(ends, *s) != NULL : ends[0] == '\0';
    if (n == 0 || v > max || !end_ok)
        return false;
    *out = v;
    *p = *s ? s + 1 : s;
    return true;
}

bool hdabdl__pci_parse_bdf(const char *bdf, uint32_t *domain, uint32_t *bus, uint32_t *dev,
                           uint32_t *func)
{
    if (!bdf)
        return false;
    const char *colon1 = strchr(bdf, ':');
    bool has_domain = colon1 && strchr(colon1 + 1, ':');
    const char *p = bdf;
    *domain = 0;
    if (has_domain && !parse_hex(&p, 4, ":", 0xFFFF, domain))
        return false;
    return parse_hex(&p, 2, ":", 0xFF, bus) && parse_hex(&p, 2, ".", 0x1F, dev) &&
           parse_hex(&p, 1, "", 7, func) && *p == '\0';
}

/* Basename of the symlink @dir/@link into @out ("" if there is none). */
static void read_link_name(const struct hdabdl_pci_sys *sys, const char *bdf, const char *link,
                           char *out, size_t size)
{
    char path[128], target[256];
    out[0] = '\0';
    snprintf(path, sizeof(path), "%s/%s/%s", PCI_SYSFS_DEVICES, bdf, link);
    ssize_t n = sys->readlink(path, target, sizeof(target) - 1);
    if (n <= 0)
        return;
    target[n] = '\0';
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    size_t len = strlen(base);
    if (len >= size)
        len = size - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

void hdabdl__pci_describe(const struct hdabdl_pci_sys *sys, struct pci_device *dev,
                          struct hdabdl_pci_device_info *info)
{
    memset(info, 0, sizeof(*info));
    (void)sys->pci_device_probe(dev);   /* regions; identity is known without it */
    info->domain = (uint16_t)dev->domain;
    info->bus = dev->bus;
    info->dev = dev->dev;
    info->func = dev->func;
    snprintf(info->bdf, sizeof(info->bdf), "%04x:%02x:%02x.%x", (unsigned)info->domain,
             (unsigned)info->bus, (unsigned)info->dev, (unsigned)info->func);
    info->ids = (struct hdabdl_pci_ids){.vendor_id = dev->vendor_id,
                                        .device_id = dev->device_id,
                                        .subsystem_vendor_id = dev->subvendor_id,
                                        .subsystem_id = dev->subdevice_id,
                                        .revision = dev->revision};
    info->class_code = dev->device_class & 0xFFFFFFu;
    if (!dev->regions[0].is_IO) {
        info->bar0_base = dev->regions[0].base_addr;
        info->bar0_size = dev->regions[0].size;
    }

    read_link_name(sys, info->bdf, "driver", info->driver, sizeof(info->driver));
    char group[32];
    read_link_name(sys, info->bdf, "iommu_group", group, sizeof(group));
    info->iommu_group = -1;
    if (group[0]) {
        char *end;
        long n = strtol(group, &end, 10);
        if (*end == '\0' && n >= 0 && n < 1000000)
            info->iommu_group = (int)n;
    }

    if (info->driver[0] == '\0')
        info->binding = HDABDL_PCI_BINDING_NONE;
    else if (strcmp(info->driver, "vfio-pci") == 0)
        info->binding = HDABDL_PCI_BINDING_VFIO;
    else if (strcmp(info->driver, "uio_pci_generic") == 0)
        info->binding = HDABDL_PCI_BINDING_UIO;
    else
        info->binding = HDABDL_PCI_BINDING_OTHER;
    info->modes = 0;
    if (info->binding == HDABDL_PCI_BINDING_VFIO && info->iommu_group >= 0)
        info->modes |= HDABDL_PCI_MODE_BIT(HDABDL_PCI_MODE_VFIO);
    if (info->binding == HDABDL_PCI_BINDING_UIO)
        info->modes |= HDABDL_PCI_MODE_BIT(HDABDL_PCI_MODE_UIO);
}

static const struct pci_id_match hda_match = {
    .vendor_id = PCI_MATCH_ANY,
    .device_id = PCI_MATCH_ANY,
    .subvendor_id = PCI_MATCH_ANY,
    .subdevice_id = PCI_MATCH_ANY,
    .device_class = 0x040300,
    .device_class_mask = 0xFFFF00,
    .match_data = 0,
};

hdabdl_status hdabdl__pci_lookup(const struct hdabdl_pci_sys *sys, const char *bdf,
                                 enum hdabdl_pci_mode mode, struct pci_device **out,
                                 struct hdabdl_pci_device_info *info)
{
    struct pci_device_iterator *it;
    struct pci_device *dev;
    hdabdl_status st = HDABDL_STATUS_SUCCESS;

    *out = NULL;
    if (bdf) {
        uint32_t d, b, s, f;
        if (!hdabdl__pci_parse_bdf(bdf, &d, &b, &s, &f))
            return hdabdl__pci_fail(HDABDL_STATUS_INVALID_PARAMETER,
                                    "'%s' is not a PCI address (dddd:bb:dd.f or bb:dd.f, hex)", bdf);
        struct pci_slot_match m = {.domain = d, .bus = b, .dev = s, .func = f, .match_data = 0};
        hdabdl__pci_lock();
        it = sys->pci_slot_match_iterator_create(&m);
        dev = it ? sys->pci_device_next(it) : NULL;
        if (dev)
            hdabdl__pci_describe(sys, dev, info);
        if (it)
            sys->pci_iterator_destroy(it);
        hdabdl__pci_unlock();
        if (!it)
            return hdabdl__pci_fail(HDABDL_STATUS_NO_MEMORY, "libpciaccess: cannot create an iterator");
        if (!dev)
            return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE, "no PCI device at %s", bdf);
        if ((info->class_code >> 16) != 0x04)
            return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED,
                                    "%s is not a multimedia device (PCI class 0x%06x; an HDA "
                                    "controller is 0x0403xx)", info->bdf, (unsigned)info->class_code);
        *out = dev;
        return HDABDL_STATUS_SUCCESS;
    }

    unsigned found = 0, usable = 0;
    struct hdabdl_pci_device_info cur;
    hdabdl__pci_lock();
    it = sys->pci_id_match_iterator_create(&hda_match);
    while (it && (dev = sys->pci_device_next(it)) != NULL) {
        hdabdl__pci_describe(sys, dev, &cur);
        found++;
        if (cur.modes & HDABDL_PCI_MODE_BIT(mode)) {
            if (usable++ == 0) {
                *out = dev;
                *info = cur;
            }
        }
    }
    if (it)
        sys->pci_iterator_destroy(it);
    hdabdl__pci_unlock();
    if (!it)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_MEMORY, "libpciaccess: cannot create an iterator");
    if (usable == 1)
        return HDABDL_STATUS_SUCCESS;
    *out = NULL;
    if (usable > 1)
        st = hdabdl__pci_fail(HDABDL_STATUS_INVALID_PARAMETER,
                              "%u HDA controllers can be opened in %s mode: name one by its PCI address",
                              usable, hdabdl_pci_mode_name(mode));
    else if (found == 0)
        st = hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE, "no HDA controller (PCI class 0x0403) found");
    else
        st = hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                              "%u HDA controller(s) found, none bound to %s (see `hdabdl list`)",
                              found, mode == HDABDL_PCI_MODE_UIO ? "uio_pci_generic" : "vfio-pci");
    return st;
}

hdabdl_status hdabdl_pci_list(struct hdabdl_pci_device_info **devices, size_t *count)
{
    const struct hdabdl_pci_sys *sys = hdabdl__pci_sys();
    hdabdl__pci_clear_error();
    if (!devices || !count)
        return hdabdl__pci_fail(HDABDL_STATUS_INVALID_PARAMETER, "hdabdl_pci_list: NULL argument");
    *devices = NULL;
    *count = 0;
    int rc = hdabdl__pci_system_acquire(sys);
    if (rc != 0)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                                "cannot scan PCI (pci_system_init: %s; is /sys mounted?)", strerror(rc));

    hdabdl_status st = HDABDL_STATUS_SUCCESS;
    struct hdabdl_pci_device_info *list = NULL;
    size_t n = 0, capacity = 0;
    hdabdl__pci_lock();
    struct pci_device_iterator *it = sys->pci_id_match_iterator_create(&hda_match);
    struct pci_device *dev;
    if (!it)
        st = HDABDL_STATUS_NO_MEMORY;
    while (it && (dev = sys->pci_device_next(it)) != NULL) {
        if (n == capacity) {
            size_t c = capacity ? capacity * 2 : 4;
            struct hdabdl_pci_device_info *p = realloc(list, c * sizeof(*p));
            if (!p) {
                st = HDABDL_STATUS_NO_MEMORY;
                break;
            }
            list = p;
            capacity = c;
        }
        hdabdl__pci_describe(sys, dev, &list[n++]);
    }
    if (it)
        sys->pci_iterator_destroy(it);
    hdabdl__pci_unlock();
    hdabdl__pci_system_release(sys);
    if (!HDABDL_NT_SUCCESS(st)) {
        free(list);
        return hdabdl__pci_fail(st, "out of memory while listing PCI devices");
    }
    if (n == 0) {
        free(list);
        list = NULL;
    }
    *devices = list;
    *count = n;
    return HDABDL_STATUS_SUCCESS;
}

void hdabdl_pci_list_free(struct hdabdl_pci_device_info *devices)
{
    free(devices);
}

hdabdl_status hdabdl_pci_find(const char *bdf, struct hdabdl_pci_device_info *info)
{
    const struct hdabdl_pci_sys *sys = hdabdl__pci_sys();
    struct pci_device *dev;
    hdabdl__pci_clear_error();
    if (!bdf || !info)
        return hdabdl__pci_fail(HDABDL_STATUS_INVALID_PARAMETER, "hdabdl_pci_find: NULL argument");
    int rc = hdabdl__pci_system_acquire(sys);
    if (rc != 0)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                                "cannot scan PCI (pci_system_init: %s; is /sys mounted?)", strerror(rc));
    hdabdl_status st = hdabdl__pci_lookup(sys, bdf, HDABDL_PCI_MODE_VFIO, &dev, info);
    hdabdl__pci_system_release(sys);
    return st;
}
