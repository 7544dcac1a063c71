/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A plain C program that links libripline and renders a PDF. */
#include <ripline/ripline.h>

#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                      \
    do {                                                                 \
        if (!(cond)) {                                                   \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                              \
            failures++;                                                  \
        }                                                                \
    } while (0)

static void on_progress(void *user, int sheet, long done, long total)
{
    long *last = user;
    (void)sheet;
    CHECK(done == *last + 1 && done <= total);
    *last = done;
}

static int count_tiffs(const char *dir)
{
    int count = 0;
    DIR *d = opendir(dir);
    struct dirent *entry;
    while (d && (entry = readdir(d)) != NULL) {
        size_t n = strlen(entry->d_name);
        count += n > 4 && strcmp(entry->d_name + n - 4, ".tif") == 0;
    }
    if (d)
        closedir(d);
    return count;
}

/* The PNG's width and height from its IHDR chunk; 0 when it is not one. */
static int png_size(const char *path, unsigned *width, unsigned *height)
{
    unsigned char head[24];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (n != sizeof head || memcmp(head, "\x89PNG\r\n\x1a\n", 8) != 0 ||
        memcmp(head + 12, "IHDR", 4) != 0)
        return 0;
    *width = (unsigned)head[16] << 24 | head[17] << 16 | head[18] << 8 |
             head[19];
    *height = (unsigned)head[20] << 24 | head[21] << 16 | head[22] << 8 |
              head[23];
    return 1;
}

/* Page count, page size and a PNG preview of the job's first page. */
static void check_pages(rl_context *ctx, rl_job *job, const char *out_dir)
{
    int documents = 0, pages = 0;
    rl_page_size size;
    char png[4096];
    unsigned width = 0, height = 0;

    CHECK(rl_job_document_count(ctx, job, &documents) == RL_OK);
    CHECK(documents == 1);
    CHECK(rl_job_page_count(ctx, job, 0, &pages) == RL_OK);
    CHECK(pages == 1);
    CHECK(rl_job_page_count(ctx, job, 1, &pages) == RL_ERROR_NOT_FOUND);

    memset(&size, 0, sizeof size);
    size.size = sizeof size;
    CHECK(rl_job_page_size(ctx, job, 0, 0, &size) == RL_OK);
    /* tiger.pdf's MediaBox is 550 x 568 pt; the tiger paints inside it. */
    CHECK(size.width_pt > 549.9 && size.width_pt < 550.1);
    CHECK(size.height_pt > 567.9 && size.height_pt < 568.1);
    CHECK(size.trimmed_width_pt > 100 && size.trimmed_width_pt <= 550.1);
    CHECK(size.trimmed_height_pt > 100 && size.trimmed_height_pt <= 568.1);
    CHECK(rl_job_page_size(ctx, job, 0, 1, &size) == RL_ERROR_NOT_FOUND);
    CHECK(strstr(rl_context_last_error(ctx), "page 2"));

    mkdir(out_dir, 0777);
    snprintf(png, sizeof png, "%s/page-1.png", out_dir);
    CHECK(rl_job_page_png(ctx, job, 0, 0, 256, png) == RL_OK);
    CHECK(png_size(png, &width, &height));
    CHECK(height == 256 && width >= 247 && width <= 248);
    CHECK(rl_job_page_png(ctx, job, 0, 0, 0, png) ==
          RL_ERROR_INVALID_ARGUMENT);
}

int main(int argc, char **argv)
{
    rl_context *ctx = NULL;
    rl_job *job = NULL;
    rl_device *device = NULL;
    rl_render *render = NULL;
    rl_render_stats stats;
    long bands = 0;

    if (argc != 4) {
        fprintf(stderr, "usage: test_capi_c PDF DRIVER_DIR OUT_DIR\n");
        return 2;
    }
    CHECK(rl_version() == RL_VERSION_NUMBER);
    CHECK(RL_CONTEXT_NEW(&ctx) == RL_OK);
    CHECK(rl_context_set_option(ctx, "driver_path", argv[2]) == RL_OK);
    CHECK(rl_context_set_option(ctx, "threads", "2") == RL_OK);

    /* A bad call fails with a status and a message, nothing else. */
    CHECK(rl_job_open(ctx, "/nonexistent/file.pdf", &job) == RL_ERROR_IO);
    CHECK(job == NULL);
    CHECK(strstr(rl_context_last_error(ctx), "/nonexistent/file.pdf"));

    CHECK(rl_job_open(ctx, argv[1], &job) == RL_OK);
    check_pages(ctx, job, argv[3]);
    CHECK(rl_device_open(ctx, "sample-sheet-a4-360", &device) == RL_OK);
    CHECK(rl_render_new(ctx, job, device, &render) == RL_OK);
    CHECK(rl_render_set_option(render, "output", argv[3]) == RL_OK);
    CHECK(rl_render_set_progress(render, on_progress, &bands) == RL_OK);

    memset(&stats, 0, sizeof stats);
    stats.size = sizeof stats;
    CHECK(rl_render_run(render, &stats) == RL_OK);
    CHECK(stats.sheets == 1);
    CHECK(stats.ink_count == 4);
    CHECK(stats.dots == 2976LL * 4209LL);
    CHECK(stats.coverage[3] > 0.05 && stats.coverage[3] < 0.9);
    CHECK(bands > 0);
    CHECK(count_tiffs(argv[3]) == 4);
    if (failures)
        fprintf(stderr, "last error: %s\n", rl_context_last_error(ctx));

    rl_render_drop(ctx, render);
    rl_device_drop(ctx, device);
    rl_job_drop(ctx, job);
    rl_context_drop(ctx);
    printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
    return failures != 0;
}
