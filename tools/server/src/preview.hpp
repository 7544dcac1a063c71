// SPDX-License-Identifier: AGPL-3.0-or-later
// Previewer: reads each stored document's pages with the RIP core (count,
// sizes) and renders a PNG thumbnail per page, off the request threads.
#pragma once

#include "service.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace ripline::server {

class Previewer {
public:
    explicit Previewer(Service& service);
    ~Previewer();

    // Start the thread; queue every document whose current revision has
    // no pages read yet (uploads a previous run left unread).
    void start();
    void stop();

    // Read the pages of DOCUMENT_GUID's current revision soon.
    void enqueue(AccountId account, const std::string& document_guid);

private:
    struct Task {
        AccountId account;
        std::string document_guid;
    };
    void run();
    void read_pages(const Task& task);

    Service& service_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Task> queue_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};  // also read between pages
    struct Core;
    Core* core_ = nullptr;
};

// The pages of a job as its documents' pages, in ticket order: one entry
// per page with Document (GUID), Page (1-based in it), Width and Height
// (units, 1/18"), WidthMm, HeightMm, TrimmedWidthMm, TrimmedHeightMm and
// Thumbnail (a blob SHA-1, "" while it is being rendered).
nlohmann::json job_pages(Service& service, AccountId account,
                         const Entity& job);

// What the core read of DOC's current content: an entity of kind "pages"
// (named by the content's SHA-1) with PageCount, Pages (as job_pages'
// entries, without Document, Page and Thumbnail) and Previews (page number
// to blob SHA-1), or Error with the core's message; nullopt until read.
std::optional<Entity> document_pages(Service& service, AccountId account,
                                     const Entity& doc);

// The thumbnail blob of PAGE (1-based) of DOC: the one a client uploaded,
// else the core's; "" when there is none (yet).
std::string document_thumbnail_sha1(Service& service, AccountId account,
                                    const Entity& doc, int page);

}  // namespace ripline::server
