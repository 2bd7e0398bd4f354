/* SPDX-License-Identifier: MIT */
/*
 * pci_sys.c - the real system-call table of the pciaccess backend.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "pci_sys.h"

static int real_open(const char *path, int flags)
{
    return open(path, flags | O_CLOEXEC);
}

static int real_ioctl(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

static int real_find_entry(const char *dir, const char *prefix, char *name, size_t size)
{
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    size_t plen = strlen(prefix);
    int rc = -ENOENT;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (strncmp(e->d_name, prefix, plen) != 0)
            continue;
        if (strlen(e->d_name) >= size) {
            rc = -ENAMETOOLONG;
            break;
        }
        strcpy(name, e->d_name);
        rc = 0;
        break;
    }
    closedir(d);
    return rc;
}

static int real_eventfd(unsigned int initval, int flags)
{
    return eventfd(initval, flags);
}

const struct hdabdl_pci_sys hdabdl__pci_sys_real = {
    .open = real_open,
    .close = close,
    .ioctl = real_ioctl,
    .pread = pread,
    .pwrite = pwrite,
    .read = read,
    .write = write,
    .readlink = readlink,
    .find_entry = real_find_entry,
    .poll = poll,
    .eventfd = real_eventfd,
    .timerfd_create = timerfd_create,
    .timerfd_settime = timerfd_settime,
    .mmap = mmap,
    .munmap = munmap,
    .mlock = mlock,
    .pci_system_init = pci_system_init,
    .pci_system_cleanup = pci_system_cleanup,
    .pci_id_match_iterator_create = pci_id_match_iterator_create,
    .pci_slot_match_iterator_create = pci_slot_match_iterator_create,
    .pci_device_next = pci_device_next,
    .pci_iterator_destroy = pci_iterator_destroy,
    .pci_device_probe = pci_device_probe,
    .pci_device_map_range = pci_device_map_range,
    .pci_device_unmap_range = pci_device_unmap_range,
};

static _Atomic(const struct hdabdl_pci_sys *) pci_sys_current = &hdabdl__pci_sys_real;

const struct hdabdl_pci_sys *hdabdl__pci_sys(void)
{
    return atomic_load_explicit(&pci_sys_current, memory_order_acquire);
}

void hdabdl__pci_sys_set(const struct hdabdl_pci_sys *sys)
{
    atomic_store_explicit(&pci_sys_current, sys ? sys : &hdabdl__pci_sys_real, memory_order_release);
}
