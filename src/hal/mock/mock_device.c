/* SPDX-License-Identifier: MIT */
/*
 * mock_device.c - life cycle, virtual time and state machines of the mock
 * HDA controller: handshakes (CRST, SRST, RUN stop, FIFORDY, codec wake),
 * controller and stream reset, interrupt status and line, faults, violation
 * records and statistics.
 *
 * Time: hdabdl_mock_advance() walks handshake deadlines and link frames in
 * time order. Link frame k starts at k * 62500 / 3 ns (exact 48 kHz, no
 * drift); frames are only visited while some engine can move data or the
 * command transport has something to do, so idle time costs nothing. In a
 * frame the command transport runs first (mock_cmd.c), then the stream DMA
 * engines (mock_dma.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_internal.h"

#include "hdabdl/codec.h"

/* Far enough from UINT64_MAX that frame arithmetic (3 * t) cannot overflow. */
#define MOCK_TIME_MAX (UINT64_MAX / 8)

/* ---- Locking -------------------------------------------------------------------- */

static void mock_die(const char *what, int err)
{
    fprintf(stderr, "hdabdl mock: %s failed: %s (a host callback calling back into the model?)\n",
            what, strerror(err));
    abort();
}

void hdabdl__mock_lock(const struct hdabdl_mock *m)
{
    /* The mutex is not part of the model's logical state: const getters lock too. */
    int rc = pthread_mutex_lock((pthread_mutex_t *)&m->lock);
    if (rc != 0)
        mock_die("lock", rc);
}

void hdabdl__mock_unlock(const struct hdabdl_mock *m)
{
    int rc = pthread_mutex_unlock((pthread_mutex_t *)&m->lock);
    if (rc != 0)
        mock_die("unlock", rc);
}

/* ---- Configuration and life cycle ---------------------------------------------------- */

void hdabdl_mock_config_default(struct hdabdl_mock_config *config)
{
    memset(config, 0, sizeof(*config));
    config->input_streams = 4;
    config->output_streams = 4;
    config->bidir_streams = 0;
    config->addr64 = true;
    config->sdo_lines = 1;
    config->codec_mask = 0x1;
    config->old_ssync = false;
    config->mmio_bus_address = 0xFEBF0000u;
    config->output_fifo_size = 192;
    config->input_fifo_size = 120;
    config->crst_delay_ns = 50000;
    config->srst_delay_ns = 5000;
    config->codec_wake_delay_ns = 400000;
    config->run_stop_delay_ns = 21000;
    config->fifo_ready_delay_ns = 10000;
    config->link_tap_capacity = 8u << 20;
    config->corb_size_caps = 0x4;   /* 256 entries only: CORBSIZE/RIRBSIZE 0x42 */
    config->corbrp_reset = HDABDL_MOCK_CORBRP_ACKED;
    config->pci_vendor_id = 0x8086;
    config->pci_device_id = 0x2668;
    config->pci_revision = 0x01;
    config->pci_subsystem_vendor_id = 0x8086;
    config->pci_subsystem_id = 0x0000;
}

static bool mock_config_valid(const struct hdabdl_mock_config *c, const struct hdabdl_mock_host *h)
{
    if (c->input_streams > 15 || c->output_streams > 15 || c->bidir_streams > 15)
        return false;
    if ((unsigned)c->input_streams + c->output_streams + c->bidir_streams > HDA_MAX_STREAMS)
        return false;
    if (c->sdo_lines != 1 && c->sdo_lines != 2 && c->sdo_lines != 4)
        return false;
    if (c->output_fifo_size == 0 || c->output_fifo_size > 256 ||
        c->input_fifo_size == 0 || c->input_fifo_size > 256)
        return false;
    if (c->codec_mask & ~HDA_STATESTS_MASK)
        return false;
    if (c->corb_size_caps == 0 || (c->corb_size_caps & ~0x7u) != 0)
        return false;
    if (c->corbrp_reset != HDABDL_MOCK_CORBRP_ACKED && c->corbrp_reset != HDABDL_MOCK_CORBRP_SELF_CLEARING &&
        c->corbrp_reset != HDABDL_MOCK_CORBRP_NEVER_ACKED)
        return false;
    return h->dma_read != NULL && h->dma_write != NULL;
}

static void mock_stream_reset_state(struct hdabdl_mock *m, unsigned n)
{
    enum mock_stream_kind kind = m->streams[n].kind;
    memset(&m->streams[n], 0, sizeof(m->streams[n]));
    m->streams[n].kind = kind;
}

/* Every register back to its reset value, engines stopped, positions zeroed,
 * WALCLK stopped, nothing in flight on the link. Link taps are the codecs'
 * side and keep their data; the codecs are reset when the link comes out of
 * reset (mock_crst_done). */
static void mock_controller_reset_locked(struct hdabdl_mock *m)
{
    for (unsigned i = 0; i < m->reg_count; i++)
        m->vals[i] = m->regs[i].reset;
    m->codec_wake.pending = false;
    m->walclk_running = false;
    for (unsigned n = 0; n < m->stream_count; n++)
        mock_stream_reset_state(m, n);
    hdabdl__mock_cmd_reset(m);
}

static void mock_refresh_aliases_locked(struct hdabdl_mock *m);

int hdabdl_mock_create(const struct hdabdl_mock_config *config, const struct hdabdl_mock_host *host,
                       struct hdabdl_mock **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!config || !host || !mock_config_valid(config, host))
        return -EINVAL;

    struct hdabdl_mock *m = calloc(1, sizeof(*m));
    if (!m)
        return -ENOMEM;
    m->config = *config;
    m->host = *host;
    m->stream_count = (unsigned)config->input_streams + config->output_streams + config->bidir_streams;

    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    int rc = pthread_mutex_init(&m->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    if (rc != 0) {
        free(m);
        return -ENOMEM;
    }

    rc = hdabdl__mock_build_regs(m);
    if (rc != 0) {
        hdabdl_mock_destroy(m);
        return rc;
    }
    /* Like a device just powered up: in reset (CRST reads 0). */
    mock_controller_reset_locked(m);
    m->next_frame = 1;
    mock_refresh_aliases_locked(m);
    *out = m;
    return 0;
}

void hdabdl_mock_destroy(struct hdabdl_mock *mock)
{
    if (!mock)
        return;
    hdabdl__mock_link_taps_free(mock);
    free(mock->regs);
    free(mock->vals);
    pthread_mutex_destroy(&mock->lock);
    free(mock);
}

/* ---- Faults ------------------------------------------------------------------------ */

/* Faults of the whole controller ignore @stream; CODEC_SILENT takes a codec
 * address; the others an SD index. */
static bool mock_fault_is_global(enum hdabdl_mock_fault fault)
{
    switch (fault) {
    case HDABDL_MOCK_FAULT_CRST_STUCK:
    case HDABDL_MOCK_FAULT_ALL_ONES:
    case HDABDL_MOCK_FAULT_RIRB_OVERRUN:
    case HDABDL_MOCK_FAULT_CORB_STALLED:
    case HDABDL_MOCK_FAULT_RIRB_IRQ_LOST:
        return true;
    default:
        return false;
    }
}

static unsigned mock_fault_targets(const struct hdabdl_mock *m, enum hdabdl_mock_fault fault)
{
    if (mock_fault_is_global(fault))
        return 32;
    return fault == HDABDL_MOCK_FAULT_CODEC_SILENT ? MOCK_CODECS : m->stream_count;
}

bool hdabdl__mock_fault(const struct hdabdl_mock *m, enum hdabdl_mock_fault fault, unsigned stream)
{
    if (mock_fault_is_global(fault))
        return m->faults[fault] != 0;
    return stream < 32 && ((m->faults[fault] >> stream) & 1u);
}

void hdabdl_mock_set_fault(struct hdabdl_mock *mock, enum hdabdl_mock_fault fault, int stream, bool on)
{
    if ((unsigned)fault >= HDABDL_MOCK_FAULT_COUNT)
        return;
    if (stream >= 0 && (unsigned)stream >= mock_fault_targets(mock, fault))
        return;
    uint32_t bits = stream < 0 ? 0xFFFFFFFFu : 1u << stream;

    hdabdl__mock_lock(mock);
    if (on)
        mock->faults[fault] |= bits;
    else
        mock->faults[fault] &= ~bits;
    hdabdl__mock_settle_locked(mock);
    hdabdl__mock_unlock(mock);
}

/* ---- Handshakes -------------------------------------------------------------------- */

/* The latest write wins: writing back what the bit reads cancels a pending
 * change; writing the pending target again keeps the original deadline. */
static void mock_handshake_request(struct mock_handshake *h, bool target, bool current,
                                   uint64_t deadline)
{
    if (target == current) {
        h->pending = false;
        return;
    }
    if (h->pending && h->target == target)
        return;
    h->pending = true;
    h->target = target;
    h->deadline = deadline;
}

static void mock_timer_start(struct mock_timer *t, uint64_t deadline)
{
    t->pending = true;
    t->deadline = deadline;
}

void hdabdl__mock_request_crst(struct hdabdl_mock *m, bool target)
{
    mock_handshake_request(&m->crst, target, !mock_in_reset(m), m->now + m->config.crst_delay_ns);
}

void hdabdl__mock_request_srst(struct hdabdl_mock *m, unsigned stream, bool target)
{
    bool current = (mock_sd_get(m, stream, MOCK_SD_CTL) & HDA_SD_CTL_SRST) != 0;
    mock_handshake_request(&m->streams[stream].srst, target, current,
                           m->now + m->config.srst_delay_ns);
}

void hdabdl__mock_run_written(struct hdabdl_mock *m, unsigned stream, bool run)
{
    struct mock_stream *s = &m->streams[stream];

    if (run) {
        if (s->engine_on)
            return;
        /* Start, or restart while a stop has not been acknowledged yet. The
         * position is kept (pause/resume); the cadence generator restarts. */
        s->engine_on = true;
        s->cadence = 0;
        s->run_stop.pending = false;
        *mock_sd(m, stream, MOCK_SD_CTL) |= HDA_SD_CTL_RUN;
        mock_timer_start(&s->fifo_ready, m->now + m->config.fifo_ready_delay_ns);
        return;
    }
    if (s->engine_on) {
        /* DMA stops now; RUN reads 1 until the engine has really stopped. */
        s->engine_on = false;
        s->fifo_ready.pending = false;
        *mock_sd(m, stream, MOCK_SD_STS) &= ~HDA_SD_STS_FIFORDY;
    }
    /* A stop already under way keeps its deadline; a RUN bit left reading 1
     * (RUN_NEVER_CLEARS swallowed the last acknowledgement) gets a new one. */
    if ((mock_sd_get(m, stream, MOCK_SD_CTL) & HDA_SD_CTL_RUN) && !s->run_stop.pending)
        mock_timer_start(&s->run_stop, m->now + m->config.run_stop_delay_ns);
}

void hdabdl__mock_stop_engine(struct hdabdl_mock *m, unsigned stream)
{
    struct mock_stream *s = &m->streams[stream];
    s->engine_on = false;
    s->run_stop.pending = false;
    s->fifo_ready.pending = false;
    *mock_sd(m, stream, MOCK_SD_CTL) &= ~HDA_SD_CTL_RUN;
    *mock_sd(m, stream, MOCK_SD_STS) &= ~HDA_SD_STS_FIFORDY;
}

uint64_t hdabdl__mock_next_frame_time(const struct hdabdl_mock *m)
{
    return m->next_frame * MOCK_FRAME_NS_NUM / MOCK_FRAME_NS_DEN;
}

uint16_t hdabdl__mock_present_codecs(const struct hdabdl_mock *m)
{
    uint16_t mask = m->config.codec_mask;
    for (unsigned a = 0; a < MOCK_CODECS; a++)
        if (m->codecs[a])
            mask |= (uint16_t)(1u << a);
    return mask;
}

/* The link leaves reset: the codecs reset too, and once they have woken up
 * they report themselves in STATESTS and start answering verbs. */
static void mock_crst_done(struct hdabdl_mock *m, bool target)
{
    if (hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_CRST_STUCK, 0))
        return;
    if (!target) {
        mock_controller_reset_locked(m);
        return;
    }
    *mock_gr(m, MOCK_GCTL) |= HDA_GCTL_CRST;
    m->walclk_running = true;
    m->walclk_start = m->now;
    for (unsigned a = 0; a < MOCK_CODECS; a++)
        if (m->codecs[a])
            hdabdl_codec_reset(m->codecs[a]);
    if (hdabdl__mock_present_codecs(m))
        mock_timer_start(&m->codec_wake, m->now + m->config.codec_wake_delay_ns);
}

static void mock_srst_done(struct hdabdl_mock *m, unsigned n, bool target)
{
    if (!target) {
        if (!hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_SRST_NEVER_CLEAR, n))
            *mock_sd(m, n, MOCK_SD_CTL) &= ~HDA_SD_CTL_SRST;
        return;
    }
    if (hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_SRST_NEVER_SET, n))
        return;
    /* In stream reset: every SD register except SRST back to reset. */
    for (unsigned r = 0; r < MOCK_SD_REGS; r++) {
        unsigned idx = mock_sd_reg_index(n, (enum mock_sd_reg)r);
        m->vals[idx] = m->regs[idx].reset;
    }
    *mock_sd(m, n, MOCK_SD_CTL) |= HDA_SD_CTL_SRST;
    mock_stream_reset_state(m, n);
}

static uint64_t mock_earliest(uint64_t t, bool pending, uint64_t deadline)
{
    return pending && deadline < t ? deadline : t;
}

static uint64_t mock_next_deadline(const struct hdabdl_mock *m)
{
    uint64_t t = UINT64_MAX;
    t = mock_earliest(t, m->crst.pending, m->crst.deadline);
    t = mock_earliest(t, m->codec_wake.pending, m->codec_wake.deadline);
    t = hdabdl__mock_cmd_next_deadline(m, t);
    for (unsigned n = 0; n < m->stream_count; n++) {
        const struct mock_stream *s = &m->streams[n];
        t = mock_earliest(t, s->srst.pending, s->srst.deadline);
        t = mock_earliest(t, s->run_stop.pending, s->run_stop.deadline);
        t = mock_earliest(t, s->fifo_ready.pending, s->fifo_ready.deadline);
    }
    return t;
}

/* Complete every handshake due at @t: controller first, then streams in order. */
static void mock_fire_events_at(struct hdabdl_mock *m, uint64_t t)
{
    if (m->crst.pending && m->crst.deadline == t) {
        m->crst.pending = false;
        mock_crst_done(m, m->crst.target);
    }
    if (m->codec_wake.pending && m->codec_wake.deadline == t) {
        m->codec_wake.pending = false;
        *mock_gr(m, MOCK_STATESTS) |= hdabdl__mock_present_codecs(m);
        m->cmd.codecs_awake = true;
    }
    hdabdl__mock_cmd_fire_events_at(m, t);
    for (unsigned n = 0; n < m->stream_count; n++) {
        struct mock_stream *s = &m->streams[n];
        if (s->srst.pending && s->srst.deadline == t) {
            s->srst.pending = false;
            mock_srst_done(m, n, s->srst.target);
        }
        if (s->run_stop.pending && s->run_stop.deadline == t) {
            s->run_stop.pending = false;
            if (!hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_RUN_NEVER_CLEARS, n))
                *mock_sd(m, n, MOCK_SD_CTL) &= ~HDA_SD_CTL_RUN;
        }
        if (s->fifo_ready.pending && s->fifo_ready.deadline == t) {
            s->fifo_ready.pending = false;
            if (!hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_FIFORDY_NEVER, n))
                *mock_sd(m, n, MOCK_SD_STS) |= HDA_SD_STS_FIFORDY;
        }
    }
}

static void mock_fire_due_events_locked(struct hdabdl_mock *m)
{
    uint64_t t;
    while ((t = mock_next_deadline(m)) <= m->now)
        mock_fire_events_at(m, t);
}

/* ---- Interrupts ------------------------------------------------------------------------ */

static uint32_t mock_sis(const struct hdabdl_mock *m)
{
    uint32_t sis = 0;
    for (unsigned n = 0; n < m->stream_count; n++) {
        uint32_t sts = mock_sd_get(m, n, MOCK_SD_STS);
        uint32_t ctl = mock_sd_get(m, n, MOCK_SD_CTL);
        if (((sts & HDA_SD_STS_BCIS) && (ctl & HDA_SD_CTL_IOCE)) ||
            ((sts & HDA_SD_STS_FIFOE) && (ctl & HDA_SD_CTL_FEIE)) ||
            ((sts & HDA_SD_STS_DESE) && (ctl & HDA_SD_CTL_DEIE)))
            sis |= 1u << n;
    }
    return sis;
}

static bool mock_cis(const struct hdabdl_mock *m)
{
    uint32_t rirbsts = m->vals[MOCK_RIRBSTS], rirbctl = m->vals[MOCK_RIRBCTL];
    return ((rirbsts & HDA_RIRBSTS_RINTFL) && (rirbctl & HDA_RIRBCTL_RINTCTL)) ||
           ((rirbsts & HDA_RIRBSTS_OIS) && (rirbctl & HDA_RIRBCTL_OIC)) ||
           (m->vals[MOCK_STATESTS] & m->vals[MOCK_WAKEEN]) != 0 ||
           ((m->vals[MOCK_CORBSTS] & 0x01u) && (m->vals[MOCK_CORBCTL] & HDA_CORBCTL_CMEIE));
}

uint32_t hdabdl__mock_intsts(const struct hdabdl_mock *m)
{
    uint32_t sis = mock_sis(m);
    bool cis = mock_cis(m);
    return sis | (cis ? HDA_INT_CTRL : 0u) | (sis || cis ? HDA_INT_GLOBAL : 0u);
}

static bool mock_irq_line(const struct hdabdl_mock *m)
{
    uint32_t intctl = m->vals[MOCK_INTCTL];
    if (!(intctl & HDA_INT_GLOBAL))
        return false;
    return (mock_sis(m) & intctl & HDA_INT_STREAMS_MASK) != 0 ||
           ((intctl & HDA_INT_CTRL) && mock_cis(m));
}

static void mock_update_irq_locked(struct hdabdl_mock *m)
{
    bool level = mock_irq_line(m);
    if (level == m->irq_level)
        return;
    m->irq_level = level;
    if (m->host.irq_line)
        m->host.irq_line(m->host.ctx, level);
}

bool hdabdl_mock_irq_asserted(const struct hdabdl_mock *mock)
{
    hdabdl__mock_lock(mock);
    bool level = mock->irq_level;
    hdabdl__mock_unlock(mock);
    return level;
}

void hdabdl_mock_inject_fifo_error(struct hdabdl_mock *mock, unsigned stream)
{
    hdabdl__mock_lock(mock);
    if (stream < mock->stream_count) {
        *mock_sd(mock, stream, MOCK_SD_STS) |= HDA_SD_STS_FIFOE;
        hdabdl__mock_settle_locked(mock);
    }
    hdabdl__mock_unlock(mock);
}

/* ---- Time ------------------------------------------------------------------------------ */

uint32_t hdabdl__mock_walclk(const struct hdabdl_mock *m)
{
    if (!m->walclk_running)
        return 0;
    uint64_t ns = m->now - m->walclk_start;
    /* 24 ticks per microsecond, split so the product cannot overflow; mod 2^32. */
    return (uint32_t)(ns / 1000u * 24u + ns % 1000u * 24u / 1000u);
}

static uint64_t mock_frame_time(uint64_t frame)
{
    return frame * MOCK_FRAME_NS_NUM / MOCK_FRAME_NS_DEN;
}

/* The first frame starting strictly after @t. */
static uint64_t mock_first_frame_after(uint64_t t)
{
    return (MOCK_FRAME_NS_DEN * (t + 1) + MOCK_FRAME_NS_NUM - 1) / MOCK_FRAME_NS_NUM;
}

static bool mock_any_stream_moving(const struct hdabdl_mock *m)
{
    for (unsigned n = 0; n < m->stream_count; n++)
        if (hdabdl__mock_stream_moving(m, n))
            return true;
    return false;
}

/* Does the next link frame have anything to do? */
static bool mock_link_busy(const struct hdabdl_mock *m)
{
    return mock_any_stream_moving(m) || hdabdl__mock_cmd_busy(m);
}

/* One link frame: the command field and response slots, then the streams. */
static void mock_link_frame(struct hdabdl_mock *m)
{
    hdabdl__mock_cmd_frame(m);
    hdabdl__mock_dma_frame(m);
}

/* Run events and frames in time order up to @target. Only register writes
 * make an engine start moving or give the command transport work (besides
 * unsolicited responses, which the busy check sees as soon as a codec queues
 * one), so skipping idle frames is exact. */
static void mock_run_until_locked(struct hdabdl_mock *m, uint64_t target)
{
    for (;;) {
        uint64_t event = mock_next_deadline(m);
        uint64_t frame = mock_link_busy(m) ? mock_frame_time(m->next_frame) : UINT64_MAX;
        if (event <= frame && event <= target) {
            if (event > m->now)
                m->now = event;
            mock_fire_events_at(m, event);
        } else if (frame <= target) {
            m->now = frame;
            m->next_frame++;
            mock_link_frame(m);
        } else {
            break;
        }
        mock_update_irq_locked(m);
    }
    m->now = target;
    uint64_t next = mock_first_frame_after(target);
    if (m->next_frame < next)
        m->next_frame = next;
}

void hdabdl_mock_advance(struct hdabdl_mock *mock, uint64_t ns)
{
    hdabdl__mock_lock(mock);
    uint64_t target = ns > MOCK_TIME_MAX - mock->now ? MOCK_TIME_MAX : mock->now + ns;
    mock_run_until_locked(mock, target);
    hdabdl__mock_settle_locked(mock);
    hdabdl__mock_unlock(mock);
}

uint64_t hdabdl_mock_now(const struct hdabdl_mock *mock)
{
    hdabdl__mock_lock(mock);
    uint64_t now = mock->now;
    hdabdl__mock_unlock(mock);
    return now;
}

/* ---- Alias page ------------------------------------------------------------------------- */

/* The shadow words are host-order integers: the pointer is a CPU's view of a
 * 32-bit register (what a driver dereferences as a ULONG), not memory the
 * device shares, so no byte swapping on a big-endian host. */

static void mock_refresh_aliases_locked(struct hdabdl_mock *m)
{
    bool gone = hdabdl__mock_fault(m, HDABDL_MOCK_FAULT_ALL_ONES, 0);
    m->alias_shadow[0] = gone ? 0xFFFFFFFFu : hdabdl__mock_walclk(m);
    for (unsigned n = 0; n < m->stream_count; n++)
        m->alias_shadow[1 + n] = gone ? 0xFFFFFFFFu : mock_sd_get(m, n, MOCK_SD_LPIB);
}

const volatile uint32_t *hdabdl_mock_alias_pointer(struct hdabdl_mock *mock, uint32_t offset)
{
    const volatile uint32_t *p = NULL;

    hdabdl__mock_lock(mock);
    if (offset == HDA_REG_WALCLK_ALIAS) {
        p = &mock->alias_shadow[0];
    } else if (offset >= HDA_SD_LPIB_ALIAS(0) && (offset - HDA_SD_LPIB_ALIAS(0)) % HDA_SD_STRIDE == 0) {
        uint32_t n = (offset - HDA_SD_LPIB_ALIAS(0)) / HDA_SD_STRIDE;
        if (n < mock->stream_count)
            p = &mock->alias_shadow[1 + n];
    }
    hdabdl__mock_unlock(mock);
    return p;
}

void hdabdl__mock_settle_locked(struct hdabdl_mock *m)
{
    mock_fire_due_events_locked(m);
    mock_update_irq_locked(m);
    mock_refresh_aliases_locked(m);
}

/* ---- Violations and statistics --------------------------------------------------------- */

void hdabdl__mock_record(struct hdabdl_mock *m, enum hdabdl_mock_violation kind, uint32_t offset,
                         uint8_t width, bool write, uint32_t value)
{
    if (m->violation_count < MOCK_VIOLATIONS_KEPT) {
        struct hdabdl_mock_violation_record *r = &m->violations[m->violation_count];
        r->kind = kind;
        r->offset = offset;
        r->width = width;
        r->write = write;
        r->value = value;
        r->time_ns = m->now;
    }
    m->violation_count++;
}

void hdabdl__mock_flag(struct hdabdl_mock *m, struct mock_access *acc, enum hdabdl_mock_violation kind)
{
    uint32_t bit = 1u << kind;
    if (acc->flagged & bit)
        return;
    acc->flagged |= bit;
    hdabdl__mock_record(m, kind, acc->offset, acc->width, acc->write, acc->write ? acc->value : 0);
}

size_t hdabdl_mock_violation_count(const struct hdabdl_mock *mock)
{
    hdabdl__mock_lock(mock);
    size_t count = mock->violation_count;
    hdabdl__mock_unlock(mock);
    return count;
}

bool hdabdl_mock_violation_get(const struct hdabdl_mock *mock, size_t index,
                               struct hdabdl_mock_violation_record *out)
{
    hdabdl__mock_lock(mock);
    bool ok = index < mock->violation_count && index < MOCK_VIOLATIONS_KEPT;
    if (ok && out)
        *out = mock->violations[index];
    hdabdl__mock_unlock(mock);
    return ok;
}

static const char *mock_violation_name(enum hdabdl_mock_violation kind)
{
    switch (kind) {
    case HDABDL_MOCK_UNKNOWN_OFFSET: return "UNKNOWN_OFFSET";
    case HDABDL_MOCK_BAD_WIDTH: return "BAD_WIDTH";
    case HDABDL_MOCK_READ_ONLY_WRITE: return "READ_ONLY_WRITE";
    case HDABDL_MOCK_WRITE_WHILE_RUNNING: return "WRITE_WHILE_RUNNING";
    case HDABDL_MOCK_WRITE_IN_RESET: return "WRITE_IN_RESET";
    case HDABDL_MOCK_DMA_INTO_MMIO: return "DMA_INTO_MMIO";
    case HDABDL_MOCK_DMA_FAULT: return "DMA_FAULT";
    }
    return "?";
}

static int mock_describe_one(const struct hdabdl_mock *m, size_t i, char *buf, size_t len)
{
    const struct hdabdl_mock_violation_record *r = &m->violations[i];
    const char *name = mock_violation_name(r->kind);

    if (r->kind == HDABDL_MOCK_DMA_INTO_MMIO || r->kind == HDABDL_MOCK_DMA_FAULT)
        return snprintf(buf, len, "#%zu %s: device %s of %u bytes at bus 0x%08x (low 32 bits), t=%llu ns\n",
                        i, name, r->write ? "write" : "read", (unsigned)r->value,
                        (unsigned)r->offset, (unsigned long long)r->time_ns);

    char reg[32];
    hdabdl__mock_reg_name(m, r->offset, reg, sizeof(reg));
    if (r->write)
        return snprintf(buf, len, "#%zu %s: write%u 0x%04x (%s) value 0x%08x, t=%llu ns\n", i, name,
                        (unsigned)r->width, (unsigned)r->offset, reg, (unsigned)r->value,
                        (unsigned long long)r->time_ns);
    return snprintf(buf, len, "#%zu %s: read%u 0x%04x (%s), t=%llu ns\n", i, name, (unsigned)r->width,
                    (unsigned)r->offset, reg, (unsigned long long)r->time_ns);
}

void hdabdl_mock_violation_describe(const struct hdabdl_mock *mock, char *buf, size_t len)
{
    if (!buf || len == 0)
        return;
    buf[0] = '\0';

    hdabdl__mock_lock(mock);
    size_t used = 0;
    size_t kept = mock->violation_count < MOCK_VIOLATIONS_KEPT ? mock->violation_count
                                                               : MOCK_VIOLATIONS_KEPT;
    int n = 0;
    if (mock->violation_count == 0)
        n = snprintf(buf, len, "no violations\n");
    for (size_t i = 0; i < kept && n >= 0 && used + (size_t)n < len; i++) {
        used += (size_t)n;
        n = mock_describe_one(mock, i, buf + used, len - used);
    }
    if (n >= 0 && used + (size_t)n < len && mock->violation_count > kept) {
        used += (size_t)n;
        snprintf(buf + used, len - used, "... and %zu more\n", mock->violation_count - kept);
    }
    hdabdl__mock_unlock(mock);
}

void hdabdl_mock_violation_clear(struct hdabdl_mock *mock)
{
    hdabdl__mock_lock(mock);
    mock->violation_count = 0;
    memset(mock->violations, 0, sizeof(mock->violations));
    hdabdl__mock_unlock(mock);
}

void hdabdl_mock_get_stats(const struct hdabdl_mock *mock, struct hdabdl_mock_stats *out)
{
    hdabdl__mock_lock(mock);
    *out = mock->stats;
    hdabdl__mock_unlock(mock);
}
