/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ripline: the C ABI of the RIP core. The only header a user needs. */
#ifndef RIPLINE_H
#define RIPLINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(RIPLINE_BUILDING)
#define RL_API __declspec(dllexport)
#elif defined(_WIN32)
#define RL_API __declspec(dllimport)
#else
#define RL_API __attribute__((visibility("default")))
#endif

/* ---- Version ---------------------------------------------------------- */

#define RL_VERSION_MAJOR 0
#define RL_VERSION_MINOR 1
#define RL_VERSION_PATCH 0
#define RL_VERSION_NUMBER \
    (RL_VERSION_MAJOR * 10000 + RL_VERSION_MINOR * 100 + RL_VERSION_PATCH)

/* The library's RL_VERSION_NUMBER. Thread-safe. */
RL_API int rl_version(void);

/* The library's version as "MAJOR.MINOR.PATCH". Static storage. */
RL_API const char *rl_version_string(void);

/* ---- Status ----------------------------------------------------------- */

/*
 * Every call that can fail returns an rl_status. Values are pinned: new
 * codes are only ever added. Details (message, stage, input file and line)
 * come from rl_context_last_error().
 */
typedef enum rl_status {
    RL_OK = 0,
    RL_ERROR_INVALID_ARGUMENT = 1, /* NULL where a value is needed, ... */
    RL_ERROR_VERSION = 2,          /* header and library disagree */
    RL_ERROR_NO_MEMORY = 3,
    RL_ERROR_IO = 10,              /* a file is missing or unwritable */
    RL_ERROR_BAD_INPUT = 11,       /* a PDF, image or job that is broken */
    RL_ERROR_UNSUPPORTED = 12,     /* valid input we cannot handle */
    RL_ERROR_NOT_FOUND = 13,       /* unknown device, driver, page, ... */
    RL_ERROR_COLOR = 20,           /* colour management failed */
    RL_ERROR_DRIVER = 30,          /* the driver reported a failure */
    RL_ERROR_CANCELLED = 40,       /* the cancel callback asked to stop */
    RL_ERROR_INTERNAL = 99
} rl_status;

/* A short constant name for STATUS, e.g. "bad input". Thread-safe. */
RL_API const char *rl_status_string(rl_status status);

/* ---- Context ---------------------------------------------------------- */

/*
 * A context holds the log sink, the driver and device search paths, the
 * thread count and the last error of each thread that used it. Create it
 * with RL_CONTEXT_NEW so that the header's ABI version is checked.
 *
 * Thread-safety: a context may be used from many threads at once, for
 * example for several renders; only the setters below must be called
 * before it is shared.
 */
typedef struct rl_context rl_context;

typedef enum rl_log_level {
    RL_LOG_ERROR = 0,   /* an operation failed */
    RL_LOG_WARNING = 1, /* damaged input worked around */
    RL_LOG_INFO = 2,    /* events a user may want: driver loaded, job done */
    RL_LOG_DEBUG = 3
} rl_log_level;

/* Receives each log line; called from any render thread. */
typedef void (*rl_log_fn)(void *user, rl_log_level level,
                          const char *message);

/*
 * Create a context. HEADER_VERSION must be RL_VERSION_NUMBER as the caller
 * was compiled; a library of another major version refuses it with
 * RL_ERROR_VERSION. *OUT receives an owned context, or NULL on failure.
 */
RL_API rl_status rl_context_new_version(int header_version, rl_context **out);
#define RL_CONTEXT_NEW(out) rl_context_new_version(RL_VERSION_NUMBER, (out))

/* Release CONTEXT. Accepts NULL. All its jobs, devices and renders must
 * have been dropped first. */
RL_API void rl_context_drop(rl_context *context);

/*
 * The last error of the calling thread on CONTEXT, as one line:
 * "stage: message" with the input's file and line where known. "" when
 * the last call succeeded. The text lives until the next call on CONTEXT
 * from this thread.
 */
RL_API const char *rl_context_last_error(const rl_context *context);

/* Send log lines to FN (NULL: discard them). By default nothing is
 * printed: the library never writes to stdout or stderr. */
RL_API rl_status rl_context_set_log(rl_context *context, rl_log_fn fn,
                                    void *user, rl_log_level max_level);

/*
 * Set a context option by key. Keys:
 *   "threads"      worker threads for band rendering ("0": one per core)
 *   "driver_path"  a folder searched for driver modules; may be given
 *                  several times; RIPLINE_DRIVER_PATH is searched too
 *   "profile_path" a folder holding devices/, icc/ and screens/
 *   "simd"         "on" (default) or "off": use the scalar kernels
 *   "driver_isolation"  "process" (default): each render runs its driver
 *                  in a ripline-driver-host process, so a driver that
 *                  crashes fails the render with RL_ERROR_DRIVER instead
 *                  of ending the caller; "none": in this process
 * Unknown keys and bad values fail with RL_ERROR_INVALID_ARGUMENT.
 */
RL_API rl_status rl_context_set_option(rl_context *context, const char *key,
                                       const char *value);

/* ---- Drivers and devices ---------------------------------------------- */

/* Number of driver modules loaded (loads them on first use). */
RL_API rl_status rl_context_driver_count(rl_context *context, int *count);

/*
 * Describe driver INDEX: its id, description and module path. The
 * strings are owned by CONTEXT and live as long as it does.
 */
RL_API rl_status rl_context_driver_info(rl_context *context, int index,
                                        const char **id,
                                        const char **description,
                                        const char **path);

/* Number of device definitions found on the profile path. */
RL_API rl_status rl_context_device_count(rl_context *context, int *count);

/* The id and name of device INDEX; owned by CONTEXT. */
RL_API rl_status rl_context_device_info(rl_context *context, int index,
                                        const char **id, const char **name);

/*
 * A device: driver, connection, media and print mode. Open it by the id
 * or name of a device definition on the profile path, or by the path of
 * a device JSON file. *OUT receives an owned device.
 * Thread-safe; the device is immutable and may be shared by renders.
 */
typedef struct rl_device rl_device;
RL_API rl_status rl_device_open(rl_context *context, const char *id_or_path,
                                rl_device **out);
RL_API void rl_device_drop(rl_context *context, rl_device *device);

/* ---- Jobs ------------------------------------------------------------- */

/*
 * A job: a Job XML ticket, or a single PDF or image opened as a one-file
 * job with one copy. The documents are opened and checked here, so a
 * broken file fails now, naming it. *OUT receives an owned job.
 * Thread-safe; a job may be rendered by several renders at once.
 */
typedef struct rl_job rl_job;
RL_API rl_status rl_job_open(rl_context *context, const char *path,
                             rl_job **out);
RL_API void rl_job_drop(rl_context *context, rl_job *job);

/* The job's id (JobGUID) and name; owned by JOB. */
RL_API const char *rl_job_id(const rl_job *job);
RL_API const char *rl_job_name(const rl_job *job);

/*
 * The pages of a job's inputs, as the core reads them. DOCUMENT is the
 * 0-based input (a one-file job has one), PAGE the 0-based page in it.
 * Out of range fails with RL_ERROR_NOT_FOUND. Thread-safe.
 */
RL_API rl_status rl_job_document_count(rl_context *context,
                                       const rl_job *job, int *count);
RL_API rl_status rl_job_page_count(rl_context *context, const rl_job *job,
                                   int document, int *count);

/* A page's size in points (1/72 inch). Size-prefixed: set size before
 * the call; fields are only ever appended. */
typedef struct rl_page_size {
    uint32_t size;
    double width_pt, height_pt;         /* the page box the core places */
    double trimmed_width_pt;            /* the box of what the page paints */
    double trimmed_height_pt;           /* (0 x 0 for a blank page) */
} rl_page_size;

RL_API rl_status rl_job_page_size(rl_context *context, rl_job *job,
                                  int document, int page, rl_page_size *out);

/*
 * Render one page as an 8-bit RGB PNG preview at PNG_PATH, scaled so
 * that neither side exceeds MAX_PIXELS (1 to 4096), aspect kept. The
 * page's own colours are drawn in sRGB, without the device's print mode.
 * On failure no file is left at PNG_PATH. Thread-safe.
 */
RL_API rl_status rl_job_page_png(rl_context *context, rl_job *job,
                                 int document, int page, int max_pixels,
                                 const char *png_path);

/* ---- Render ----------------------------------------------------------- */

/*
 * A render of one job on one device. Used by one thread at a time;
 * several renders may run at once on one context.
 */
typedef struct rl_render rl_render;

/* Progress: DONE of TOTAL bands of the whole job. */
typedef void (*rl_progress_fn)(void *user, int sheet, long done, long total);
/* Return non-zero to stop the render; polled once per band. */
typedef int (*rl_cancel_fn)(void *user);

/* What a finished render measured. Size-prefixed: set size before the
 * call; fields are only ever appended. */
typedef struct rl_render_stats {
    uint32_t size;
    int sheets;
    long long dots;          /* device pixels over all sheets */
    double seconds;          /* wall time of rl_render_run */
    double coverage[16];     /* mean ink coverage per ink, 0-1 */
    int ink_count;
    size_t peak_band_bytes;  /* band buffers held at the peak */
} rl_render_stats;

RL_API rl_status rl_render_new(rl_context *context, rl_job *job,
                               rl_device *device, rl_render **out);
RL_API void rl_render_drop(rl_context *context, rl_render *render);

RL_API rl_status rl_render_set_progress(rl_render *render, rl_progress_fn fn,
                                        void *user);
RL_API rl_status rl_render_set_cancel(rl_render *render, rl_cancel_fn fn,
                                      void *user);

/*
 * Set a render option. Keys:
 *   "output"      the connection URI, overriding the device's
 *                 (file:///dir, or a plain folder path)
 *   "contone"     "1": write the ink channels before screening, 8 bit
 *   "band_height" rows per band (default: about 16 MiB of contone)
 *   "driver_isolation" "process" or "none", for this render only
 *   "mode"        "print", "cut" (nothing is rasterised) or
 *                 "print-and-cut"; default: a ticket's Print and Cut,
 *                 else the device's cut.mode, else
 *                 cut on a cutter, print & cut on a printer-cutter or
 *                 a printer that names a cutter, print otherwise
 *   "cutter_output" the connection URI of the separate cutter the device
 *                 names, overriding the cutter's
 */
RL_API rl_status rl_render_set_option(rl_render *render, const char *key,
                                      const char *value);

/*
 * Run the render to the end: parse, impose, rasterize, colour, screen and
 * hand every band to the device's driver. On failure or cancel the driver
 * discards its outputs. STATS may be NULL.
 */
RL_API rl_status rl_render_run(rl_render *render, rl_render_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* RIPLINE_H */
