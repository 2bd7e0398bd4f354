/* SPDX-License-Identifier: MIT */
/*
 * pci_hal.c - open/close of a real controller, the HAL ops table, and the
 * service thread that delivers interrupts and timer expiries.
 *
 * Open (vfio.md §7.2): libpciaccess reference -> find the device and its
 * binding -> the mode's open (vfio: container, group, IOMMU, device, BAR0;
 * uio: BAR0, config, /dev/uioN) -> memory decode on, controller quiesced
 * through MMIO while bus mastering is still off, then bus mastering on ->
 * GCAP -> DMA space (IOVA ranges clipped below 4 GiB unless 64OK; uio: the
 * first hugepage) -> interrupts -> timerfd, wake-up eventfd, service thread.
 * Every step records what it made in struct hdabdl_pci, and pci_teardown()
 * undoes whatever is there in the safe order (§7.5, with the service thread
 * joined first so no handler races the quiesce), so a failure at any step
 * leaves nothing open or mapped.
 *
 * Service thread: poll(2) over the wake-up eventfd, the timerfd and the
 * interrupt fd (eventfd or /dev/uioN); in polling mode with a timeout.
 * Handlers run with handler_lock held, so detaching waits for a running
 * handler; a handler may itself attach, detach or arm (a thread-local says
 * the lock is already ours). After an interrupt handler, while an enabled
 * interrupt is still pending (INTCTL & INTSTS), the handler runs again (a
 * bounded number of times), so an edge-triggered MSI cannot be lost to a
 * status that arrived during the service.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "pci_internal.h"

#include "hal/hal_posix.h"

#define PCI_HANDLER_REPEAT   8
#define PCI_QUIESCE_WAIT_NS  1000000u   /* RUN / CORBRUN / RIRBDMAEN read back 0 within 1 ms */
#define PCI_DEFAULT_POLL_US  1000u

/* ---- errors ------------------------------------------------------------------------ */

static _Thread_local char pci_error[384];

hdabdl_status hdabdl__pci_fail(hdabdl_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pci_error, sizeof(pci_error), fmt, ap);
    va_end(ap);
    return status;
}

void hdabdl__pci_clear_error(void)
{
    pci_error[0] = '\0';
}

const char *hdabdl_pci_last_error(void)
{
    return pci_error;
}

/* ---- names ---------------------------------------------------------------------------- */

const char *hdabdl_pci_mode_name(enum hdabdl_pci_mode mode)
{
    switch (mode) {
    case HDABDL_PCI_MODE_VFIO: return "vfio";
    case HDABDL_PCI_MODE_UIO: return "uio";
    }
    return "?";
}

const char *hdabdl_pci_binding_name(enum hdabdl_pci_binding binding)
{
    switch (binding) {
    case HDABDL_PCI_BINDING_NONE: return "none";
    case HDABDL_PCI_BINDING_VFIO: return "vfio-pci";
    case HDABDL_PCI_BINDING_UIO: return "uio_pci_generic";
    case HDABDL_PCI_BINDING_OTHER: return "other";
    }
    return "?";
}

const char *hdabdl_pci_irq_name(enum hdabdl_pci_irq irq)
{
    switch (irq) {
    case HDABDL_PCI_IRQ_AUTO: return "auto";
    case HDABDL_PCI_IRQ_MSI: return "msi";
    case HDABDL_PCI_IRQ_INTX: return "intx";
    case HDABDL_PCI_IRQ_POLL: return "poll";
    case HDABDL_PCI_IRQ_NONE: return "none";
    }
    return "?";
}

/* ---- time ------------------------------------------------------------------------------ */

static uint64_t pci_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- registers and configuration space ------------------------------------------------ */

static uint8_t pci_rd8(struct hdabdl_pci *pci, uint32_t offset)
{
    return *(pci->bar + offset);
}

static uint16_t pci_rd16(struct hdabdl_pci *pci, uint32_t offset)
{
    return *(const volatile uint16_t *)(const volatile void *)(pci->bar + offset);
}

uint32_t hdabdl__pci_rd32(struct hdabdl_pci *pci, uint32_t offset)
{
    return *(const volatile uint32_t *)(const volatile void *)(pci->bar + offset);
}

static void pci_wr8(struct hdabdl_pci *pci, uint32_t offset, uint8_t value)
{
    *(pci->bar + offset) = value;
}

static void pci_wr32(struct hdabdl_pci *pci, uint32_t offset, uint32_t value)
{
    *(volatile uint32_t *)(volatile void *)(pci->bar + offset) = value;
}

int hdabdl__pci_cfg_read(struct hdabdl_pci *pci, uint32_t offset, void *buf, size_t len)
{
    ssize_t n;
    do
        n = pci->sys->pread(pci->cfg_fd, buf, len, (off_t)(pci->cfg_offset + offset));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    return (size_t)n == len ? 0 : -EIO;
}

int hdabdl__pci_cfg_write(struct hdabdl_pci *pci, uint32_t offset, const void *buf, size_t len)
{
    ssize_t n;
    do
        n = pci->sys->pwrite(pci->cfg_fd, buf, len, (off_t)(pci->cfg_offset + offset));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    return (size_t)n == len ? 0 : -EIO;
}

/* Stop every DMA the controller may be doing, through MMIO only (async-signal-safe). */
static void pci_quiesce_mmio(struct hdabdl_pci *pci)
{
    uint16_t gcap = pci_rd16(pci, PCI_HDA_GCAP);
    unsigned streams = 0;

    pci_wr32(pci, PCI_HDA_INTCTL, 0);
    if (gcap != 0xFFFF) {
        streams = ((gcap >> 12) & 0xFu) + ((gcap >> 8) & 0xFu) + ((gcap >> 3) & 0x1Fu);
        if (streams > 30)
            streams = 30;
        if (PCI_HDA_SD_CTL(streams) > pci->bar_size)
            streams = 0;
    }
    for (unsigned i = 0; i < streams; i++) {
        uint8_t ctl = pci_rd8(pci, PCI_HDA_SD_CTL(i));
        if (ctl & 0x1E)   /* RUN, IOCE, FEIE, DEIE off; SRST as it is */
            pci_wr8(pci, PCI_HDA_SD_CTL(i), (uint8_t)(ctl & 0x01));
    }
    pci_wr8(pci, PCI_HDA_CORBCTL, 0);
    pci_wr8(pci, PCI_HDA_RIRBCTL, 0);
    pci_wr32(pci, PCI_HDA_DPLBASE, 0);
    pci_wr32(pci, PCI_HDA_DPUBASE, 0);

    /* The engines stop at a frame boundary: wait (bounded) until they say so. */
    uint64_t deadline = pci_now_ns() + PCI_QUIESCE_WAIT_NS;
    for (;;) {
        bool running = (pci_rd8(pci, PCI_HDA_CORBCTL) & 0x02) || (pci_rd8(pci, PCI_HDA_RIRBCTL) & 0x02);
        for (unsigned i = 0; i < streams && !running; i++)
            running = (pci_rd8(pci, PCI_HDA_SD_CTL(i)) & PCI_HDA_SD_RUN) != 0;
        if (!running || pci_now_ns() > deadline)
            break;
    }
}

static void pci_master_off(struct hdabdl_pci *pci)
{
    uint16_t cmd;
    if (hdabdl__pci_cfg_read(pci, PCI_CFG_COMMAND, &cmd, 2) == 0 && (cmd & PCI_CMD_MASTER)) {
        cmd = (uint16_t)(cmd & ~PCI_CMD_MASTER);
        (void)hdabdl__pci_cfg_write(pci, PCI_CFG_COMMAND, &cmd, 2);
    }
}

/*
 * Memory decode on, the controller quiet (a previous owner may have left DMA
 * programmed with addresses that are no longer ours), then bus mastering on
 * (vfio leaves it off: qemu-guest.md #6; uio_pci_generic never sets it).
 */
static hdabdl_status pci_enable_device(struct hdabdl_pci *pci)
{
    uint16_t cmd;
    int rc = hdabdl__pci_cfg_read(pci, PCI_CFG_COMMAND, &cmd, 2);
    if (rc != 0)
        return hdabdl__pci_fail(rc == -EACCES || rc == -EPERM ? HDABDL_STATUS_ACCESS_DENIED
                                                               : HDABDL_STATUS_IO_DEVICE_ERROR,
                                "%s: reading the PCI COMMAND register: %s", pci->info.bdf, strerror(-rc));
    if (!(cmd & PCI_CMD_MEMORY)) {
        uint16_t mem = (uint16_t)(cmd | PCI_CMD_MEMORY);
        rc = hdabdl__pci_cfg_write(pci, PCI_CFG_COMMAND, &mem, 2);
        if (rc != 0)
            return hdabdl__pci_fail(rc == -EACCES || rc == -EPERM ? HDABDL_STATUS_ACCESS_DENIED
                                                                   : HDABDL_STATUS_IO_DEVICE_ERROR,
                                    "%s: turning memory decoding on: %s", pci->info.bdf, strerror(-rc));
        cmd = mem;
    }
    pci_quiesce_mmio(pci);

    uint16_t want = (uint16_t)(cmd | PCI_CMD_MEMORY | PCI_CMD_MASTER);
    rc = hdabdl__pci_cfg_write(pci, PCI_CFG_COMMAND, &want, 2);
    if (rc != 0)
        return hdabdl__pci_fail(rc == -EACCES || rc == -EPERM ? HDABDL_STATUS_ACCESS_DENIED
                                                               : HDABDL_STATUS_IO_DEVICE_ERROR,
                                "%s: turning bus mastering on: %s", pci->info.bdf, strerror(-rc));
    pci->master_set = true;
    rc = hdabdl__pci_cfg_read(pci, PCI_CFG_COMMAND, &cmd, 2);
    if (rc != 0 || (cmd & (PCI_CMD_MEMORY | PCI_CMD_MASTER)) != (PCI_CMD_MEMORY | PCI_CMD_MASTER))
        return hdabdl__pci_fail(HDABDL_STATUS_IO_DEVICE_ERROR,
                                "%s: PCI COMMAND reads 0x%04x after setting memory decode and bus "
                                "master (%s)", pci->info.bdf, rc == 0 ? cmd : 0,
                                rc == 0 ? "bits not set" : strerror(-rc));
    return HDABDL_STATUS_SUCCESS;
}

/* ---- interrupts and the timer: the service thread ------------------------------------- */

static _Thread_local struct hdabdl_pci *pci_in_handler;

static bool pci_irq_pending(struct hdabdl_pci *pci)
{
    uint32_t ctl = hdabdl__pci_rd32(pci, PCI_HDA_INTCTL);
    if (ctl == 0xFFFFFFFFu || !(ctl & PCI_HDA_INT_GIE))
        return false;
    uint32_t sts = hdabdl__pci_rd32(pci, PCI_HDA_INTSTS);
    return sts != 0xFFFFFFFFu && (sts & ctl & ~PCI_HDA_INT_GIE) != 0;
}

static void pci_dispatch_irq(struct hdabdl_pci *pci, bool check_first)
{
    pthread_mutex_lock(&pci->handler_lock);
    pci_in_handler = pci;
    for (unsigned i = 0; i < PCI_HANDLER_REPEAT && pci->irq_handler; i++) {
        if ((i > 0 || check_first) && !pci_irq_pending(pci))
            break;
        pci->irq_handler(pci->irq_arg);
    }
    pci_in_handler = NULL;
    pthread_mutex_unlock(&pci->handler_lock);
}

static void pci_dispatch_timer(struct hdabdl_pci *pci)
{
    pthread_mutex_lock(&pci->handler_lock);
    pci_in_handler = pci;
    if (pci->timer_handler)
        pci->timer_handler(pci->timer_arg);
    pci_in_handler = NULL;
    pthread_mutex_unlock(&pci->handler_lock);
}

/* Read an fd's event count; 0 when there was nothing (or it failed). */
static uint64_t pci_read_count(struct hdabdl_pci *pci, int fd, size_t width, int *err)
{
    uint64_t v64 = 0;
    uint32_t v32 = 0;
    ssize_t n = pci->sys->read(fd, width == 8 ? (void *)&v64 : (void *)&v32, width);
    *err = n < 0 ? errno : 0;
    if (n != (ssize_t)width)
        return 0;
    return width == 8 ? v64 : v32;
}

static void *pci_service_thread(void *arg)
{
    struct hdabdl_pci *pci = arg;
    const struct hdabdl_pci_sys *sys = pci->sys;
    bool irq_ok = pci->irq_fd >= 0;
    int timeout_ms = -1;

    if (pci->irq == HDABDL_PCI_IRQ_POLL)
        timeout_ms = (int)((pci->poll_interval_us + 999u) / 1000u);

    while (!atomic_load(&pci->stopping)) {
        struct pollfd fds[3] = {
            {.fd = pci->wake_fd, .events = POLLIN},
            {.fd = pci->timer_fd, .events = POLLIN},
            {.fd = irq_ok ? pci->irq_fd : -1, .events = POLLIN},   /* -1: ignored by poll */
        };
        int rc = sys->poll(fds, 3, timeout_ms);
        if (atomic_load(&pci->stopping))
            break;
        if (rc < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            break;
        }
        int err;
        if (fds[0].revents)
            (void)pci_read_count(pci, pci->wake_fd, 8, &err);
        if (irq_ok && fds[2].revents) {
            uint64_t count = pci_read_count(pci, pci->irq_fd, pci->mode == HDABDL_PCI_MODE_UIO ? 4 : 8, &err);
            if (count > 0) {
                atomic_fetch_add(&pci->interrupts, count);
                pci_dispatch_irq(pci, false);
                if (pci->mode == HDABDL_PCI_MODE_UIO)
                    hdabdl__uio_irq_ack(pci);
                else
                    hdabdl__vfio_irq_ack(pci);
            } else if (err != EAGAIN && err != EINTR) {
                irq_ok = false;   /* the interrupt source is gone (device removed): stop polling it */
            }
        }
        if (fds[1].revents) {
            if (pci_read_count(pci, pci->timer_fd, 8, &err) > 0)
                pci_dispatch_timer(pci);
        }
        if (pci->irq == HDABDL_PCI_IRQ_POLL)
            pci_dispatch_irq(pci, true);
    }
    return NULL;
}

static hdabdl_status pci_start_service(struct hdabdl_pci *pci)
{
    const struct hdabdl_pci_sys *sys = pci->sys;

    pci->wake_fd = sys->eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (pci->wake_fd < 0)
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "eventfd: %s", strerror(errno));
    pci->timer_fd = sys->timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (pci->timer_fd < 0)
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES, "timerfd_create: %s", strerror(errno));

    /* The thread takes no signals: SIGINT and friends go to the application's threads. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&pci->thread, NULL, pci_service_thread, pci);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return hdabdl__pci_fail(HDABDL_STATUS_INSUFFICIENT_RESOURCES,
                                "cannot start the interrupt thread: %s", strerror(rc));
    pci->thread_started = true;
    return HDABDL_STATUS_SUCCESS;
}

static void pci_stop_service(struct hdabdl_pci *pci)
{
    if (!pci->thread_started)
        return;
    atomic_store(&pci->stopping, true);
    uint64_t one = 1;
    (void)pci->sys->write(pci->wake_fd, &one, sizeof(one));
    pthread_join(pci->thread, NULL);
    pci->thread_started = false;
}

static void pci_close_fd(struct hdabdl_pci *pci, int *fd)
{
    if (*fd >= 0)
        pci->sys->close(*fd);
    *fd = -1;
}

/* ---- teardown and open ------------------------------------------------------------------ */

/* Undo whatever is there, in the safe order (vfio.md §7.5). */
static void pci_teardown(struct hdabdl_pci *pci)
{
    /* 0. no handler runs from here on (the service thread is joined) */
    pci_stop_service(pci);
    /* 1-2. no DMA: engines stopped through MMIO, then bus mastering off */
    if (pci->bar && pci->master_set) {
        pci_quiesce_mmio(pci);
        pci_master_off(pci);
        pci->master_set = false;
    }
    /* 3. interrupts off: IRQ index disabled, eventfds closed */
    if (pci->mode == HDABDL_PCI_MODE_VFIO) {
        hdabdl__vfio_irq_off(pci);
        pci_close_fd(pci, &pci->irq_fd);
    } else {
        pci->irq_fd = -1;   /* it is the uio fd, closed with the device */
    }
    pci_close_fd(pci, &pci->timer_fd);
    pci_close_fd(pci, &pci->wake_fd);

    /* 4-7. DMA unmapped, BAR unmapped, device / group / container (or uio) closed */
    if (pci->mode == HDABDL_PCI_MODE_VFIO)
        hdabdl__vfio_close(pci);
    else
        hdabdl__uio_close(pci);

    /* 8. host memory, now that nothing can reach it */
    for (size_t i = pci->nblocks; i-- > 0;) {
        struct pci_dma_block *b = pci->blocks[i];
        if (b->map_cpu)
            pci->sys->munmap(b->map_cpu, b->map_size);
        free(b);
    }
    free(pci->blocks);
    pci->blocks = NULL;
    pci->nblocks = pci->blocks_capacity = 0;
    if (pci->mode == HDABDL_PCI_MODE_UIO)
        hdabdl__uio_free_chunks(pci);
    hdabdl__ranges_clear(&pci->space);

    /* 9. libpciaccess */
    if (pci->system_held)
        hdabdl__pci_system_release(pci->sys);
    pci->system_held = false;
    if (pci->locks_ready) {
        pthread_mutex_destroy(&pci->dma_lock);
        pthread_mutex_destroy(&pci->handler_lock);
    }
    free(pci);
}

void hdabdl_pci_options_default(struct hdabdl_pci_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof(*options));
    options->size = sizeof(*options);
    options->mode = HDABDL_PCI_MODE_VFIO;
    options->irq = HDABDL_PCI_IRQ_AUTO;
    options->poll_interval_us = PCI_DEFAULT_POLL_US;
}

static hdabdl_status pci_check_binding(struct hdabdl_pci *pci)
{
    const struct hdabdl_pci_device_info *in = &pci->info;
    const char *want = pci->mode == HDABDL_PCI_MODE_VFIO ? "vfio-pci" : "uio_pci_generic";

    switch (in->binding) {
    case HDABDL_PCI_BINDING_OTHER:
        return hdabdl__pci_fail(HDABDL_STATUS_DEVICE_BUSY,
                                "%s is held by the driver '%s': unbind it and bind %s first "
                                "(README: binding a controller)", in->bdf, in->driver, want);
    case HDABDL_PCI_BINDING_NONE:
        return hdabdl__pci_fail(HDABDL_STATUS_INVALID_DEVICE_STATE,
                                "%s is bound to no driver: bind %s first (README: binding a controller)",
                                in->bdf, want);
    case HDABDL_PCI_BINDING_VFIO:
        if (pci->mode != HDABDL_PCI_MODE_VFIO)
            return hdabdl__pci_fail(HDABDL_STATUS_INVALID_DEVICE_STATE,
                                    "%s is bound to vfio-pci: open it in vfio mode (or bind "
                                    "uio_pci_generic for uio mode)", in->bdf);
        if (in->iommu_group < 0)
            return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                                    "%s has no IOMMU group: the IOMMU is off (intel_iommu=on / "
                                    "amd_iommu=on) and vfio no-IOMMU mode is not supported", in->bdf);
        return HDABDL_STATUS_SUCCESS;
    case HDABDL_PCI_BINDING_UIO:
        if (pci->mode != HDABDL_PCI_MODE_UIO)
            return hdabdl__pci_fail(HDABDL_STATUS_INVALID_DEVICE_STATE,
                                    "%s is bound to uio_pci_generic: open it in uio mode (explicit: "
                                    "no IOMMU protection) or bind vfio-pci", in->bdf);
        return HDABDL_STATUS_SUCCESS;
    }
    return HDABDL_STATUS_INTERNAL_ERROR;
}

static hdabdl_status pci_open_steps(struct hdabdl_pci *pci, const char *bdf,
                                    const struct hdabdl_pci_options *o)
{
    hdabdl_status st;
    int rc = hdabdl__pci_system_acquire(pci->sys);
    if (rc != 0)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_SUCH_DEVICE,
                                "cannot scan PCI (pci_system_init: %s; is /sys mounted?)", strerror(rc));
    pci->system_held = true;

    st = hdabdl__pci_lookup(pci->sys, bdf, pci->mode, &pci->dev, &pci->info);
    if (HDABDL_NT_SUCCESS(st))
        st = pci_check_binding(pci);
    if (!HDABDL_NT_SUCCESS(st))
        return st;

    st = pci->mode == HDABDL_PCI_MODE_VFIO ? hdabdl__vfio_open(pci) : hdabdl__uio_open(pci);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    st = pci_enable_device(pci);
    if (!HDABDL_NT_SUCCESS(st))
        return st;

    /* GCAP decides the DMA reach (vfio.md §5): the allocator is set up only now. */
    pci->gcap = pci_rd16(pci, PCI_HDA_GCAP);
    if (pci->gcap == 0xFFFF)
        return hdabdl__pci_fail(HDABDL_STATUS_DEVICE_DOES_NOT_EXIST,
                                "%s: registers read all ones (device gone or powered down)", pci->info.bdf);
    pci->dma_max = (pci->gcap & PCI_HDA_GCAP_64OK) ? UINT64_MAX : UINT32_MAX;
    st = pci->mode == HDABDL_PCI_MODE_VFIO ? hdabdl__vfio_setup_space(pci) : hdabdl__uio_setup_space(pci);
    if (!HDABDL_NT_SUCCESS(st))
        return st;

    if (o->irq == HDABDL_PCI_IRQ_NONE || o->irq == HDABDL_PCI_IRQ_POLL)
        pci->irq = o->irq;
    else
        st = pci->mode == HDABDL_PCI_MODE_VFIO ? hdabdl__vfio_irq_setup(pci, o->irq)
                                                : hdabdl__uio_irq_setup(pci, o->irq);
    if (!HDABDL_NT_SUCCESS(st))
        return st;
    return pci_start_service(pci);
}

hdabdl_status hdabdl_pci_open(const char *bdf, const struct hdabdl_pci_options *options,
                              hdabdl_pci **out)
{
    struct hdabdl_pci_options o;

    hdabdl__pci_clear_error();
    if (!out)
        return hdabdl__pci_fail(HDABDL_STATUS_INVALID_PARAMETER, "hdabdl_pci_open: out is NULL");
    *out = NULL;
    hdabdl_pci_options_default(&o);
    if (options) {
        if (options->size < offsetof(struct hdabdl_pci_options, poll_interval_us) +
                                sizeof(options->poll_interval_us))
            return hdabdl__pci_fail(HDABDL_STATUS_REVISION_MISMATCH,
                                    "hdabdl_pci_open: options.size %u is too small", (unsigned)options->size);
        memcpy(&o, options, options->size < sizeof(o) ? options->size : sizeof(o));
        o.size = sizeof(o);
    }
    if ((unsigned)o.mode > HDABDL_PCI_MODE_UIO || (unsigned)o.irq > HDABDL_PCI_IRQ_NONE)
        return hdabdl__pci_fail(HDABDL_STATUS_INVALID_PARAMETER, "hdabdl_pci_open: bad mode or irq");
    if (o.mode == HDABDL_PCI_MODE_UIO && o.irq == HDABDL_PCI_IRQ_MSI)
        return hdabdl__pci_fail(HDABDL_STATUS_NOT_SUPPORTED, "uio_pci_generic has no MSI: use INTx or polling");
    if (o.poll_interval_us == 0)
        o.poll_interval_us = PCI_DEFAULT_POLL_US;

    struct hdabdl_pci *pci = calloc(1, sizeof(*pci));
    if (!pci)
        return hdabdl__pci_fail(HDABDL_STATUS_NO_MEMORY, "out of memory");
    pci->sys = hdabdl__pci_sys();
    pci->mode = o.mode;
    pci->irq = HDABDL_PCI_IRQ_NONE;
    pci->poll_interval_us = o.poll_interval_us;
    pci->cfg_fd = pci->container_fd = pci->group_fd = pci->device_fd = -1;
    pci->uio_fd = pci->irq_fd = pci->timer_fd = pci->wake_fd = -1;
    pci->irq_index = -1;
    atomic_init(&pci->stopping, false);
    atomic_init(&pci->interrupts, 0);
    pthread_mutex_init(&pci->dma_lock, NULL);
    pthread_mutex_init(&pci->handler_lock, NULL);
    pci->locks_ready = true;

    hdabdl_status st = pci_open_steps(pci, bdf, &o);
    if (!HDABDL_NT_SUCCESS(st)) {
        pci_teardown(pci);
        return st;
    }
    *out = pci;
    return HDABDL_STATUS_SUCCESS;
}

void hdabdl_pci_close(hdabdl_pci *pci)
{
    if (pci)
        pci_teardown(pci);
}

void hdabdl_pci_quiesce(hdabdl_pci *pci)
{
    if (!pci || !pci->bar)
        return;
    pci_quiesce_mmio(pci);
    pci_master_off(pci);
}

void *hdabdl_pci_hal_context(hdabdl_pci *pci)
{
    return pci;
}

hdabdl_status hdabdl_pci_get_open_info(hdabdl_pci *pci, struct hdabdl_pci_open_info *info)
{
    if (!pci || !info)
        return HDABDL_STATUS_INVALID_PARAMETER;
    memset(info, 0, sizeof(*info));
    info->device = pci->info;
    info->mode = pci->mode;
    info->irq = pci->irq;
    info->gcap = pci->gcap;
    info->dma_limit = pci->dma_max == UINT64_MAX ? UINT64_MAX : pci->dma_max + 1;
    info->iova_ranges = pci->iova_ranges;
    pthread_mutex_lock(&pci->dma_lock);
    info->dma_blocks = pci->nblocks;
    info->dma_bytes = pci->dma_bytes;
    pthread_mutex_unlock(&pci->dma_lock);
    info->interrupts = atomic_load(&pci->interrupts);
    return HDABDL_STATUS_SUCCESS;
}

/* ---- the HAL ops ----------------------------------------------------------------------- */

static int pci_hal_reg_read(void *ctx, uint32_t offset, unsigned width, uint32_t *value)
{
    struct hdabdl_pci *pci = ctx;
    if (!value || (width != 1 && width != 2 && width != 4) || offset % width != 0 ||
        offset > pci->bar_size - width)
        return -EINVAL;
    /* Exactly the width asked for: QEMU matches registers by offset and width. */
    switch (width) {
    case 1:
        *value = pci_rd8(pci, offset);
        break;
    case 2:
        *value = pci_rd16(pci, offset);
        break;
    default:
        *value = hdabdl__pci_rd32(pci, offset);
        break;
    }
    return 0;
}

static int pci_hal_reg_write(void *ctx, uint32_t offset, unsigned width, uint32_t value)
{
    struct hdabdl_pci *pci = ctx;
    if ((width != 1 && width != 2 && width != 4) || offset % width != 0 || offset > pci->bar_size - width)
        return -EINVAL;
    switch (width) {
    case 1:
        pci_wr8(pci, offset, (uint8_t)value);
        break;
    case 2:
        *(volatile uint16_t *)(volatile void *)(pci->bar + offset) = (uint16_t)value;
        break;
    default:
        pci_wr32(pci, offset, value);
        break;
    }
    return 0;
}

static const volatile uint32_t *pci_hal_reg_pointer(void *ctx, uint32_t offset)
{
    struct hdabdl_pci *pci = ctx;
    if (offset % 4 != 0 || offset > pci->bar_size - 4)
        return NULL;
    return (const volatile uint32_t *)(const volatile void *)(pci->bar + offset);
}

static int pci_hal_dma_alloc(void *ctx, size_t size, size_t align, uint64_t limit,
                             struct hdabdl_hal_dma *out)
{
    struct hdabdl_pci *pci = ctx;

    if (!out || size == 0 || align == 0 || (align & (align - 1)) != 0 || limit == 0)
        return -EINVAL;
    uint64_t max = limit == UINT64_MAX ? UINT64_MAX : limit - 1;
    if (max > pci->dma_max)
        max = pci->dma_max;
    if (align < PCI_MIN_ALIGN)
        align = PCI_MIN_ALIGN;

    struct pci_dma_block *block = calloc(1, sizeof(*block));
    if (!block)
        return -ENOMEM;
    pthread_mutex_lock(&pci->dma_lock);
    int rc = 0;
    if (pci->nblocks == pci->blocks_capacity) {
        size_t capacity = pci->blocks_capacity ? pci->blocks_capacity * 2 : 16;
        struct pci_dma_block **blocks = realloc(pci->blocks, capacity * sizeof(*blocks));
        if (!blocks)
            rc = -ENOMEM;
        else {
            pci->blocks = blocks;
            pci->blocks_capacity = capacity;
        }
    }
    if (rc == 0)
        rc = pci->mode == HDABDL_PCI_MODE_VFIO ? hdabdl__vfio_dma_map(pci, size, align, max, block)
                                                : hdabdl__uio_dma_alloc(pci, size, align, max, block);
    if (rc == 0) {
        pci->blocks[pci->nblocks++] = block;
        pci->dma_bytes += block->size;
        *out = (struct hdabdl_hal_dma){.cpu = block->cpu, .bus = block->bus, .size = block->size,
                                       .cookie = block};
    }
    pthread_mutex_unlock(&pci->dma_lock);
    if (rc != 0)
        free(block);
    return rc;
}

static void pci_hal_dma_free(void *ctx, struct hdabdl_hal_dma *dma)
{
    struct hdabdl_pci *pci = ctx;

    if (!dma || !dma->cookie)
        return;
    pthread_mutex_lock(&pci->dma_lock);
    struct pci_dma_block *block = NULL;
    for (size_t i = pci->nblocks; i-- > 0;) {
        if (pci->blocks[i] == dma->cookie) {
            block = pci->blocks[i];
            memmove(&pci->blocks[i], &pci->blocks[i + 1], (pci->nblocks - i - 1) * sizeof(*pci->blocks));
            pci->nblocks--;
            break;
        }
    }
    if (block) {
        pci->dma_bytes -= block->size;
        if (pci->mode == HDABDL_PCI_MODE_VFIO)
            hdabdl__vfio_dma_unmap(pci, block);
        else
            hdabdl__uio_dma_free(pci, block);
    }
    pthread_mutex_unlock(&pci->dma_lock);
    if (!block) {
        fprintf(stderr, "hdabdl pciaccess: dma_free of a block this HAL does not hold (double free?)\n");
        return;
    }
    free(block);
    memset(dma, 0, sizeof(*dma));
}

/* Busy-wait: the core calls this where it must not sleep. */
static void pci_hal_delay_us(void *ctx, uint32_t us)
{
    (void)ctx;
    uint64_t end = pci_now_ns() + (uint64_t)us * 1000u;
    while (pci_now_ns() < end) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
}

/* Sleep so the service thread can take the interrupt (one CPU in a guest). */
static void pci_hal_sleep_us(void *ctx, uint32_t us)
{
    (void)ctx;
    struct timespec ts = {.tv_sec = (time_t)(us / 1000000u), .tv_nsec = (long)(us % 1000000u) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static uint64_t pci_hal_now_ns(void *ctx)
{
    (void)ctx;
    return pci_now_ns();
}

static int pci_hal_set_handler(struct hdabdl_pci *pci, hdabdl_hal_irq_handler *slot, void **slot_arg,
                               hdabdl_hal_irq_handler handler, void *arg)
{
    bool inside = pci_in_handler == pci;   /* handler_lock is already ours */
    if (!inside)
        pthread_mutex_lock(&pci->handler_lock);
    int rc = 0;
    if (handler && *slot)
        rc = -EBUSY;
    else {
        *slot = handler;
        *slot_arg = handler ? arg : NULL;
    }
    if (!inside)
        pthread_mutex_unlock(&pci->handler_lock);
    return rc;
}

static int pci_hal_irq_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    struct hdabdl_pci *pci = ctx;
    if (!handler)
        return -EINVAL;
    if (pci->irq == HDABDL_PCI_IRQ_NONE)
        return -ENOTSUP;
    return pci_hal_set_handler(pci, &pci->irq_handler, &pci->irq_arg, handler, arg);
}

static void pci_hal_irq_detach(void *ctx)
{
    struct hdabdl_pci *pci = ctx;
    (void)pci_hal_set_handler(pci, &pci->irq_handler, &pci->irq_arg, NULL, NULL);
}

static int pci_hal_timer_attach(void *ctx, hdabdl_hal_irq_handler handler, void *arg)
{
    struct hdabdl_pci *pci = ctx;
    if (!handler)
        return -EINVAL;
    return pci_hal_set_handler(pci, &pci->timer_handler, &pci->timer_arg, handler, arg);
}

static void pci_hal_timer_arm(void *ctx, uint32_t delay_us)
{
    struct hdabdl_pci *pci = ctx;
    struct itimerspec its;
    memset(&its, 0, sizeof(its));
    its.it_value.tv_sec = (time_t)(delay_us / 1000000u);
    its.it_value.tv_nsec = (long)(delay_us % 1000000u) * 1000;
    (void)pci->sys->timerfd_settime(pci->timer_fd, 0, &its, NULL);   /* all zero: disarm */
}

static void pci_hal_timer_detach(void *ctx)
{
    struct hdabdl_pci *pci = ctx;
    pci_hal_timer_arm(ctx, 0);
    (void)pci_hal_set_handler(pci, &pci->timer_handler, &pci->timer_arg, NULL, NULL);
}

static int pci_hal_lock_create(void *ctx, void **lock)
{
    (void)ctx;
    return hdabdl__posix_lock_create("pciaccess", lock);
}

static int pci_hal_pci_ids(void *ctx, struct hdabdl_pci_ids *ids)
{
    struct hdabdl_pci *pci = ctx;
    if (!ids)
        return -EINVAL;
    *ids = pci->info.ids;
    return 0;
}

static const struct hdabdl_hal_ops pci_hal_ops = {
    .abi_version = HDABDL_HAL_ABI_VERSION,
    .struct_size = sizeof(struct hdabdl_hal_ops),
    .name = "pciaccess",
    .reg_read = pci_hal_reg_read,
    .reg_write = pci_hal_reg_write,
    .reg_pointer = pci_hal_reg_pointer,
    .dma_alloc = pci_hal_dma_alloc,
    .dma_free = pci_hal_dma_free,
    .delay_us = pci_hal_delay_us,
    .sleep_us = pci_hal_sleep_us,
    .now_ns = pci_hal_now_ns,
    .irq_attach = pci_hal_irq_attach,
    .irq_detach = pci_hal_irq_detach,
    .lock_create = pci_hal_lock_create,
    .lock_destroy = hdabdl__posix_lock_destroy,
    .lock_acquire = hdabdl__posix_lock_acquire,
    .lock_release = hdabdl__posix_lock_release,
    .pci_ids = pci_hal_pci_ids,
    .timer_attach = pci_hal_timer_attach,
    .timer_arm = pci_hal_timer_arm,
    .timer_detach = pci_hal_timer_detach,
    .mem_alloc = hdabdl__posix_mem_alloc,
    .mem_free = hdabdl__posix_mem_free,
    .caller_level = hdabdl__posix_caller_level,
    .level_raise = hdabdl__posix_level_raise,
    .level_restore = hdabdl__posix_level_restore,
};

const struct hdabdl_hal_ops *hdabdl_pci_hal_ops(void)
{
    return &pci_hal_ops;
}
