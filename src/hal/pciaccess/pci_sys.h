/* SPDX-License-Identifier: MIT */
/*
 * pci_sys.h - every system call and libpciaccess call the pciaccess backend
 * makes goes through this table, so the unit tests can put a fake kernel
 * behind it (tests/test_pciaccess_*.c).
 *
 * Conventions are those of the functions they stand for (-1 and errno, or
 * an errno value as libpciaccess returns), except find_entry, which is ours.
 */
#ifndef HDABDL_PCI_SYS_H
#define HDABDL_PCI_SYS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <pciaccess.h>

struct itimerspec;

struct hdabdl_pci_sys {
    /* files */
    int (*open)(const char *path, int flags);
    int (*close)(int fd);
    int (*ioctl)(int fd, unsigned long request, void *arg);   /* integer args cast to a pointer */
    ssize_t (*pread)(int fd, void *buf, size_t count, off_t offset);
    ssize_t (*pwrite)(int fd, const void *buf, size_t count, off_t offset);
    ssize_t (*read)(int fd, void *buf, size_t count);
    ssize_t (*write)(int fd, const void *buf, size_t count);
    ssize_t (*readlink)(const char *path, char *buf, size_t size);
    /** First entry of directory @dir whose name starts with @prefix, into @name:
     *  0, -ENOENT if none, or -errno if the directory cannot be read. */
    int (*find_entry)(const char *dir, const char *prefix, char *name, size_t size);
    int (*poll)(struct pollfd *fds, nfds_t nfds, int timeout_ms);
    int (*eventfd)(unsigned int initval, int flags);
    int (*timerfd_create)(int clockid, int flags);
    int (*timerfd_settime)(int fd, int flags, const struct itimerspec *value, struct itimerspec *old);
    /* memory */
    void *(*mmap)(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
    int (*munmap)(void *addr, size_t length);
    int (*mlock)(const void *addr, size_t length);
    /* libpciaccess */
    int (*pci_system_init)(void);
    void (*pci_system_cleanup)(void);
    struct pci_device_iterator *(*pci_id_match_iterator_create)(const struct pci_id_match *match);
    struct pci_device_iterator *(*pci_slot_match_iterator_create)(const struct pci_slot_match *match);
    struct pci_device *(*pci_device_next)(struct pci_device_iterator *iter);
    void (*pci_iterator_destroy)(struct pci_device_iterator *iter);
    int (*pci_device_probe)(struct pci_device *dev);
    int (*pci_device_map_range)(struct pci_device *dev, pciaddr_t base, pciaddr_t size,
                                unsigned map_flags, void **addr);
    int (*pci_device_unmap_range)(struct pci_device *dev, void *memory, pciaddr_t size);
};

/** The table in use (the real one unless a test replaced it). */
const struct hdabdl_pci_sys *hdabdl__pci_sys(void);

/** Replace the table (tests); NULL restores the real one. Only with no device open. */
void hdabdl__pci_sys_set(const struct hdabdl_pci_sys *sys);

/** The real table. */
extern const struct hdabdl_pci_sys hdabdl__pci_sys_real;

#endif /* HDABDL_PCI_SYS_H */
