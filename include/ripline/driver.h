/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The driver plugin ABI: what a printer or cutter module exports. */
#ifndef RIPLINE_DRIVER_H
#define RIPLINE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A driver is a shared module (ripline-driver-ID.so) that exports one C
 * function, rl_driver_entry(), returning a static table: rl_driver. The
 * host (plugins/) opens every module on its search path, checks the
 * table's magic, ABI major and size, and refuses a mismatch with a
 * warning naming the file; the other modules keep working.
 *
 * The host drives a job as a plain stream:
 *
 *   begin_job -> (begin_sheet -> write_band ... -> end_sheet) ... -> end_job
 *
 * and calls abort_job instead of end_job when the render fails or is
 * cancelled, after which the driver must leave nothing that looks like a
 * finished output. Bands arrive in order, top to bottom, one thread at a
 * time per job; different jobs may run in parallel on different threads,
 * each with its own rl_driver_job.
 *
 * Errors: a callback returns 0 on success. On failure it reports the reason
 * through rl_driver_host.error() and returns non-zero; the host fails the
 * job with that message.
 */

#define RL_DRIVER_MAGIC 0x524c4456u /* "RLDV" */
#define RL_DRIVER_ABI_MAJOR 1
#define RL_DRIVER_ABI_MINOR 0

#if defined(_WIN32)
#define RL_DRIVER_EXPORT __declspec(dllexport)
#else
#define RL_DRIVER_EXPORT __attribute__((visibility("default")))
#endif

/* What a module is: a flag set. */
enum {
    RL_DRIVER_PRINTER = 1,
    RL_DRIVER_CUTTER = 2
};

/* Log levels, shared with ripline.h's rl_log_level. */
enum {
    RL_DRIVER_LOG_ERROR = 0,
    RL_DRIVER_LOG_WARNING = 1,
    RL_DRIVER_LOG_INFO = 2,
    RL_DRIVER_LOG_DEBUG = 3
};

/* One output the driver writes, opened through the host. */
typedef struct rl_driver_output rl_driver_output;

/*
 * What the host offers a driver. The host owns it; it stays valid from
 * begin_job until end_job or abort_job returns.
 */
typedef struct rl_driver_host {
    uint32_t size; /* sizeof(rl_driver_host) as the host was built */
    void *user;    /* passed back to every call below */

    /* Log a line to the host's log sink. */
    void (*log)(void *user, int level, const char *message);

    /* Record why the failing call failed; the last message wins. */
    void (*error)(void *user, const char *message);

    /*
     * Open an output named NAME (a file name without folders, such as
     * "job_s001_C.tif") on the device's connection. On success *PATH is a
     * local, seekable file the driver may write with any library (libtiff
     * wants one); the host keeps it hidden until close_output(commit=1)
     * publishes it (an atomic rename for file://, a copy to the socket for
     * tcp://). Returns NULL on failure, with error() already called.
     */
    rl_driver_output *(*open_output)(void *user, const char *name,
                                     const char **path);

    /* Append bytes to an output (streaming formats). 0 on success. */
    int (*write_output)(void *user, rl_driver_output *output,
                        const void *data, size_t size);

    /* Finish an output: publish it (commit=1) or discard it (commit=0). */
    int (*close_output)(void *user, rl_driver_output *output, int commit);

    /* Value of a device option (from the device definition), or NULL. */
    const char *(*option)(void *user, const char *key);
} rl_driver_host;

/* The job as the driver sees it. */
typedef struct rl_driver_job_info {
    uint32_t size;
    const char *job_id;   /* the JobGUID, never NULL */
    const char *job_name; /* may be "" */
    const char *device_id;
    int ink_count;
    const char *const *ink_names; /* ink_count names, e.g. "C" "M" ... */
    int bits_per_dot;             /* 1, 2 (drop sizes) or 8 (contone) */
    double xdpi, ydpi;
} rl_driver_job_info;

/* One sheet (a page of output, or one length of roll). */
typedef struct rl_driver_sheet {
    uint32_t size;
    int index;          /* 0-based sheet number in the job */
    int width_dots;     /* across the media */
    int height_dots;    /* along the feed */
    double width_mm;
    double height_mm;
} rl_driver_sheet;

/*
 * A band of screened rows: one plane per ink, in the job's ink order.
 * Rows are packed most significant bit first; at 1 bit a set bit fires a
 * dot, at 2 bits each dot is a drop size 0-3, at 8 bits each byte is the
 * contone ink amount (0 none, 255 full). planes[i] + r * stride is row r.
 */
typedef struct rl_driver_band {
    uint32_t size;
    int y;          /* first row of the band in the sheet */
    int rows;
    int width_dots;
    size_t stride;  /* bytes per row, >= (width_dots * bits + 7) / 8 */
    const uint8_t *const *planes;
} rl_driver_band;

typedef struct rl_driver_session rl_driver_session; /* the driver's own */

typedef struct rl_driver {
    uint32_t magic;     /* RL_DRIVER_MAGIC */
    uint16_t abi_major; /* RL_DRIVER_ABI_MAJOR the module was built with */
    uint16_t abi_minor;
    uint32_t size;      /* sizeof(rl_driver) the module was built with */

    const char *id;          /* "tiff": what devices name in "Driver" */
    const char *description; /* one line for `ripline drivers` */
    const char *version;     /* the module's own version */
    uint32_t kind;           /* RL_DRIVER_PRINTER | RL_DRIVER_CUTTER */

    /* Capabilities; a 0 count means any. */
    int max_inks;
    uint32_t bit_depths;    /* bit n set: n bits per dot supported */
    const int *dpi_list;
    int dpi_count;

    int (*begin_job)(const rl_driver_host *host,
                     const rl_driver_job_info *job,
                     rl_driver_session **session);
    int (*begin_sheet)(rl_driver_session *session,
                       const rl_driver_sheet *sheet);
    int (*write_band)(rl_driver_session *session,
                      const rl_driver_band *band);
    int (*end_sheet)(rl_driver_session *session);
    /* Finish and free the session; outputs are committed. */
    int (*end_job)(rl_driver_session *session);
    /* Discard every output not yet committed and free the session. */
    void (*abort_job)(rl_driver_session *session);
} rl_driver;

/* The one symbol a module exports. */
typedef const rl_driver *(*rl_driver_entry_fn)(void);
#define RL_DRIVER_ENTRY_SYMBOL "rl_driver_entry"

#ifdef __cplusplus
}
#endif

#endif /* RIPLINE_DRIVER_H */
