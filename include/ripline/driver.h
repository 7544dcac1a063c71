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
 * A cutter (or a print & cut device) also gets write_cut once per sheet,
 * after the sheet's bands; a driver without bands leaves write_band NULL.
 *
 * Errors: a callback returns 0 on success. On failure it reports the reason
 * through rl_driver_host.error() and returns non-zero; the host fails the
 * job with that message.
 */

#define RL_DRIVER_MAGIC 0x524c4456u /* "RLDV" */
#define RL_DRIVER_ABI_MAJOR 1
#define RL_DRIVER_ABI_MINOR 1

/*
 * ABI history. A minor bump only appends fields at the END of a struct;
 * the host reads a field only when the module's table `size` covers it,
 * so a 1.0 module keeps loading in a 1.1 host and the other way round.
 *   1.0  the stream callbacks.
 *   1.1  rl_driver gains write_cut, option descriptions and media limits;
 *        rl_driver_host gains option_key; rl_driver_cut_path and
 *        rl_driver_option_desc are new.
 */

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

    /* ---- ABI 1.1: check `size` before calling. ---- */

    /* The key of the INDEX-th device option (0-based, in key order), or
     * NULL past the last; lets a driver read a family such as "tool.*". */
    const char *(*option_key)(void *user, int index);
} rl_driver_host;

/* The job as the driver sees it. */
typedef struct rl_driver_job_info {
    uint32_t size;        /* sizeof(rl_driver_job_info) as the host was built */
    const char *job_id;   /* the JobGUID, never NULL */
    const char *job_name; /* may be "" */
    const char *device_id; /* the device's id or name; may be "" */
    int ink_count;        /* planes in every band; 0 for a cut-only job */
    const char *const *ink_names; /* ink_count names, e.g. "C" "M" ... */
    int bits_per_dot;             /* 1, 2 (drop sizes), 8 or 16 (contone) */
    double xdpi, ydpi;            /* dots per inch across and along feed */
} rl_driver_job_info;

/* One sheet (a page of output, or one length of roll). */
typedef struct rl_driver_sheet {
    uint32_t size;      /* sizeof(rl_driver_sheet) as the host was built */
    int index;          /* 0-based sheet number in the job */
    int width_dots;     /* across the media */
    int height_dots;    /* along the feed */
    double width_mm;    /* the same extent in mm (width_dots / xdpi) */
    double height_mm;
} rl_driver_sheet;

/*
 * A band of screened rows: one plane per ink, in the job's ink order.
 * Rows are packed most significant bit first; at 1 bit a set bit fires a
 * dot, at 2 bits each dot is a drop size 0-3, at 8 bits each byte is the
 * contone ink amount (0 none, 255 full), at 16 bits each dot is a uint16_t
 * in the host's byte order (0 none, 65535 full; a print mode with
 * contone_bits 16). planes[i] + r * stride is row r.
 */
typedef struct rl_driver_band {
    uint32_t size;
    int y;          /* first row of the band in the sheet */
    int rows;
    int width_dots;
    size_t stride;  /* bytes per row, >= (width_dots * bits + 7) / 8 */
    const uint8_t *const *planes;
} rl_driver_band;

/* A point of a cut path, in mm from the media's top-left corner: x across
 * the media, y along the feed (the same frame as the sheet's dots). */
typedef struct rl_driver_point {
    double x_mm;
    double y_mm;
} rl_driver_point;

/*
 * One cut path of a sheet (ABI 1.1): a polyline, already through the
 * imposition transform (and, for print & cut, in the registration marks'
 * frame). A closed path ends where it starts even when the last point is
 * not repeated; the driver closes it exactly.
 */
typedef struct rl_driver_cut_path {
    uint32_t size;        /* sizeof(rl_driver_cut_path) as the host built it */
    const char *cut_name; /* the spot that made it: "CutContour", ...; never
                             NULL, may be "" */
    int closed;           /* 1: a contour, 0: an open line */
    int point_count;      /* >= 2 */
    const rl_driver_point *points;
} rl_driver_cut_path;

/* The type of a driver option's value, as written in the device. */
enum {
    RL_DRIVER_OPTION_STRING = 0,
    RL_DRIVER_OPTION_INT = 1,    /* decimal integer */
    RL_DRIVER_OPTION_NUMBER = 2, /* decimal number, '.' as the point */
    RL_DRIVER_OPTION_BOOL = 3,   /* "true" / "false" */
    RL_DRIVER_OPTION_ENUM = 4    /* one of `choices` */
};

/*
 * One option a driver reads through rl_driver_host.option() (ABI 1.1), so
 * a device editor and `ripline driver-check` know the keys, types and
 * defaults. A key ending in '*' is a family ("tool.*" matches "tool.Kiss").
 */
typedef struct rl_driver_option_desc {
    const char *key;           /* e.g. "compression" */
    int type;                  /* RL_DRIVER_OPTION_* */
    const char *default_value; /* what the driver uses when it is unset */
    const char *choices;       /* ENUM: "a|b|c"; otherwise NULL */
    const char *description;   /* one line */
} rl_driver_option_desc;

typedef struct rl_driver_session rl_driver_session; /* the driver's own */

typedef struct rl_driver {
    uint32_t magic;     /* RL_DRIVER_MAGIC */
    uint16_t abi_major; /* RL_DRIVER_ABI_MAJOR the module was built with */
    uint16_t abi_minor; /* RL_DRIVER_ABI_MINOR the module was built with */
    uint32_t size;      /* sizeof(rl_driver) the module was built with */

    const char *id;          /* "tiff": what devices name in "Driver" */
    const char *description; /* one line for `ripline drivers` */
    const char *version;     /* the module's own version */
    uint32_t kind;           /* RL_DRIVER_PRINTER | RL_DRIVER_CUTTER */

    /* Capabilities; a 0 count means any. */
    int max_inks;           /* most planes per band; 0: any */
    uint32_t bit_depths;    /* bit n set: n bits per dot supported */
    const int *dpi_list;    /* dpi_count resolutions the device prints */
    int dpi_count;          /* 0: any resolution */

    /*
     * Start a job: check JOB against the capabilities, read options through
     * HOST and store the driver's state in *SESSION. HOST and JOB (with
     * its strings) stay valid until end_job or abort_job returns. On
     * failure no session exists and nothing else is called.
     */
    int (*begin_job)(const rl_driver_host *host,
                     const rl_driver_job_info *job,
                     rl_driver_session **session);
    /* Start a sheet; SHEET is valid during the call only. */
    int (*begin_sheet)(rl_driver_session *session,
                       const rl_driver_sheet *sheet);
    /* The next band of the sheet; BAND is valid during the call only.
     * NULL for a driver that takes no raster (a cutter). */
    int (*write_band)(rl_driver_session *session,
                      const rl_driver_band *band);
    /* Every row of the sheet has been written (or it had none). */
    int (*end_sheet)(rl_driver_session *session);
    /* Finish and free the session (even when it fails); the driver
     * commits its outputs, and the host discards any it left open. */
    int (*end_job)(rl_driver_session *session);
    /* Discard every output not yet committed and free the session. */
    void (*abort_job)(rl_driver_session *session);

    /* ---- ABI 1.1: read only when `size` reaches them. ---- */

    /*
     * The cut paths of the current sheet, called at most once per sheet
     * between its last write_band and end_sheet (a cut-only job has no
     * bands). PATHS and the points they hold are valid during the call
     * only. NULL: the driver ignores cut paths (a printer).
     */
    int (*write_cut)(rl_driver_session *session,
                     const rl_driver_cut_path *paths, int path_count);

    /* The options the driver reads; option_count entries, may be 0. */
    const rl_driver_option_desc *options;
    int option_count;

    /* The largest media the device takes, in mm; 0 means any. */
    double max_width_mm;
    double max_length_mm;
} rl_driver;

/* sizeof(rl_driver) of an ABI 1.0 module: everything up to abort_job. */
#define RL_DRIVER_SIZE_1_0 \
    (offsetof(rl_driver, abort_job) + sizeof(void (*)(void)))

/* The one symbol a module exports. */
typedef const rl_driver *(*rl_driver_entry_fn)(void);
#define RL_DRIVER_ENTRY_SYMBOL "rl_driver_entry"

#ifdef __cplusplus
}
#endif

#endif /* RIPLINE_DRIVER_H */
