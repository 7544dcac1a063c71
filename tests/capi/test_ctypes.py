#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# The C ABI from another language: Python's ctypes renders a PDF.
import ctypes
import os
import sys


class RenderStats(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("sheets", ctypes.c_int),
        ("dots", ctypes.c_longlong),
        ("seconds", ctypes.c_double),
        ("coverage", ctypes.c_double * 16),
        ("ink_count", ctypes.c_int),
        ("peak_band_bytes", ctypes.c_size_t),
    ]


class PageSize(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("width_pt", ctypes.c_double),
        ("height_pt", ctypes.c_double),
        ("trimmed_width_pt", ctypes.c_double),
        ("trimmed_height_pt", ctypes.c_double),
    ]


def main(library, pdf, driver_dir, out_dir):
    rl = ctypes.CDLL(library)
    rl.rl_context_last_error.restype = ctypes.c_char_p
    rl.rl_job_name.restype = ctypes.c_char_p
    handle = ctypes.c_void_p

    def check(status, what):
        if status != 0:
            raise SystemExit(f"{what}: status {status}: "
                             f"{rl.rl_context_last_error(ctx).decode()}")

    ctx = handle()
    version = rl.rl_version()
    check(rl.rl_context_new_version(version, ctypes.byref(ctx)), "context")
    check(rl.rl_context_set_option(ctx, b"driver_path",
                                   driver_dir.encode()), "driver_path")

    job, device, render = handle(), handle(), handle()
    check(rl.rl_job_open(ctx, pdf.encode(), ctypes.byref(job)), "job")
    check(rl.rl_device_open(ctx, b"sample-sheet-a4-360",
                            ctypes.byref(device)), "device")
    check(rl.rl_render_new(ctx, job, device, ctypes.byref(render)), "new")
    check(rl.rl_render_set_option(render, b"output", out_dir.encode()),
          "output")

    pages = ctypes.c_int()
    check(rl.rl_job_page_count(ctx, job, 0, ctypes.byref(pages)), "pages")
    page = PageSize(size=ctypes.sizeof(PageSize))
    check(rl.rl_job_page_size(ctx, job, 0, 0, ctypes.byref(page)), "size")

    stats = RenderStats(size=ctypes.sizeof(RenderStats))
    check(rl.rl_render_run(render, ctypes.byref(stats)), "run")
    tiffs = sorted(f for f in os.listdir(out_dir) if f.endswith(".tif"))

    failed = 0
    for ok, what in [(stats.sheets == 1, "one sheet"),
                     (stats.ink_count == 4, "four inks"),
                     (len(tiffs) == 4, f"four TIFFs, got {tiffs}"),
                     (0.05 < stats.coverage[3] < 0.9, "K coverage"),
                     (rl.rl_job_name(job) == b"tiger.pdf", "job name"),
                     (pages.value == 1, "one page"),
                     (round(page.width_pt) == 550, "550 pt wide")]:
        if not ok:
            print(f"failed: {what}")
            failed += 1

    rl.rl_render_drop(ctx, render)
    rl.rl_device_drop(ctx, device)
    rl.rl_job_drop(ctx, job)
    rl.rl_context_drop(ctx)
    print(f"{7 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
