/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Render a PDF, image or Job XML for a device: the whole C ABI in brief.
 *
 *   cc render.c -lripline -o render
 *   ./render tiger.pdf sample-sheet-a4-360 out/
 */
#include <ripline/ripline.h>

#include <stdio.h>

static void on_log(void *user, rl_log_level level, const char *message)
{
    (void)user;
    fprintf(stderr, "%s: %s\n", level == RL_LOG_ERROR ? "error" : "note",
            message);
}

int main(int argc, char **argv)
{
    rl_context *ctx = NULL;
    rl_job *job = NULL;
    rl_device *device = NULL;
    rl_render *render = NULL;
    rl_render_stats stats = {sizeof stats};
    rl_status status;

    if (argc != 4) {
        fprintf(stderr, "usage: render JOB DEVICE OUT_DIR\n");
        return 2;
    }

    /* The context checks that this header and the library agree. */
    status = RL_CONTEXT_NEW(&ctx);
    if (status != RL_OK) {
        fprintf(stderr, "ripline: %s\n", rl_status_string(status));
        return 1;
    }
    rl_context_set_log(ctx, on_log, NULL, RL_LOG_INFO);

    /* Every call returns a status; the reason is the last error. */
    status = rl_job_open(ctx, argv[1], &job);
    if (status == RL_OK)
        status = rl_device_open(ctx, argv[2], &device);
    if (status == RL_OK)
        status = rl_render_new(ctx, job, device, &render);
    if (status == RL_OK)
        status = rl_render_set_option(render, "output", argv[3]);
    if (status == RL_OK)
        status = rl_render_run(render, &stats);

    if (status == RL_OK)
        printf("%d sheets, %.1f Mpx in %.2f s\n", stats.sheets,
               stats.dots / 1e6, stats.seconds);
    else
        fprintf(stderr, "ripline: %s\n", rl_context_last_error(ctx));

    /* _drop accepts NULL, so one clean-up path serves every failure. */
    rl_render_drop(ctx, render);
    rl_device_drop(ctx, device);
    rl_job_drop(ctx, job);
    rl_context_drop(ctx);
    return status == RL_OK ? 0 : 1;
}
