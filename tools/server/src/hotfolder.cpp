// SPDX-License-Identifier: AGPL-3.0-or-later
// Polls queue hotfolders; applies the queue's steps; files the input under
// done/ or error/ (with a .reason.txt saying why).
#include "hotfolder.hpp"

#include "jobs.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

namespace ripline::server {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string lower_extension(const fs::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    return ext;
}

// Move FILE into FOLDER, never overwriting an earlier file of that name.
fs::path file_away(const fs::path& file, const fs::path& folder) {
    fs::path target = folder / file.filename();
    for (int n = 1; fs::exists(target); ++n)
        target = folder / (file.stem().string() + "-" + std::to_string(n) +
                           file.extension().string());
    fs::rename(file, target);
    return target;
}

// A one-document ticket for a PDF or image dropped on its own.
std::string ticket_for(const std::string& name, const std::string& doc) {
    std::string escaped;
    for (char ch : name)
        escaped += ch == '<' ? "&lt;" : ch == '&' ? "&amp;" : std::string(1, ch);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Job Version=\"2\" "
           "xmlns=\"https://printfactory.cloud/schema/2.0\">"
           "<JobGUID>" + new_guid() + "</JobGUID><Name>" + escaped +
           "</Name><Producer>Hotfolder</Producer><PDFJob><InputJobs>"
           "<FilePath Id=\"" + doc + "\">" + escaped +
           "</FilePath></InputJobs></PDFJob></Job>";
}

}  // namespace

fs::path Hotfolders::folder_for(const Config& config, AccountId account,
                                const std::string& queue_guid) {
    return fs::absolute(fs::path(config.data_dir) / "hotfolders" /
                        std::to_string(account) / queue_guid);
}

void Hotfolders::prepare(const Config& config, AccountId account,
                         const std::string& queue_guid) {
    fs::path folder = folder_for(config, account, queue_guid);
    fs::create_directories(folder / "done");
    fs::create_directories(folder / "error");
}

void Hotfolders::start() {
    thread_ = std::thread([this] {
        while (!stopping_) {
            try {
                poll();
            } catch (const std::exception& e) {
                std::fprintf(stderr, "level=error what=\"hotfolder: %s\"\n",
                             e.what());
            }
            for (int i = 0; i < service_.config().hotfolder_poll_ms / 50 &&
                            !stopping_;
                 ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
}

void Hotfolders::stop() {
    stopping_ = true;
    if (thread_.joinable())
        thread_.join();
}

void Hotfolders::poll() {
    for (auto& [account, queue] : service_.store().list_all("queue", {})) {
        fs::path folder = folder_for(service_.config(), account, queue.guid);
        std::error_code ec;
        for (auto& entry : fs::directory_iterator(folder, ec)) {
            if (!entry.is_regular_file())
                continue;
            std::string name = entry.path().filename().string();
            if (name.empty() || name[0] == '.' || name.ends_with(".part"))
                continue;  // still being written, by convention
            auto size = entry.file_size();
            auto seen = sizes_.find(entry.path());
            if (seen == sizes_.end() || seen->second != size) {
                sizes_[entry.path()] = size;
                continue;  // take it once it stopped growing
            }
            sizes_.erase(seen);
            take(account, queue, entry.path());
        }
    }
}

void Hotfolders::take(AccountId account, const Entity& queue,
                      const fs::path& file) {
    fs::path folder = file.parent_path();
    std::string name = file.filename().string();
    try {
        std::string ext = lower_extension(file);
        std::string bytes = read_file(file);
        std::string xml;
        if (ext == ".xml") {
            xml = bytes;
        } else if (ext == ".pdf" || ext == ".jpg" || ext == ".jpeg" ||
                   ext == ".png" || ext == ".tif" || ext == ".tiff") {
            std::string doc = store_document(
                service_, account, "", name,
                ext == ".pdf" ? "application/pdf" : "image/" + ext.substr(1),
                bytes, nullptr);
            xml = ticket_for(name, doc);
        } else {
            throw ApiError(415, "Only Job XML (.xml), PDF and images are "
                                "taken by a hotfolder, not \"" + ext + "\"");
        }

        // The queue's steps edit the ticket before it is stored.
        JobXml job = JobXml::parse(xml, name);
        job.set_text("QueueGUID", queue.guid);
        std::string device = queue.body.value("DeviceGUID", "");
        bool render = !device.empty();
        std::string nest_group;
        for (auto& step : queue.body.value("Steps", nlohmann::json::array())) {
            std::string kind = step.value("Step", "");
            if (kind == "SetPrintMode" && step.contains("PrintMode"))
                job.set_text("PrintMode", step.value("PrintMode", ""));
            if (kind == "Nest")
                nest_group = step.value("NestGroupGUID", "");
            if (kind == "Render")
                render = true;
        }
        if (!device.empty() && job.text("DeviceGUID").empty())
            job.set_text("DeviceGUID", device);
        auto result = submit_job(service_, account, job, nullptr, false,
                                 "Hotfolder");
        service_.store().journal_add(account, result.job_guid,
                                     {now_iso(), 0, "Workflow",
                                      "From hotfolder of queue " +
                                          queue.body.value("QueueName", "") +
                                          ": " + name});
        if (!nest_group.empty()) {
            Entity member{"nestmember", result.job_guid, nest_group};
            member.body = {{"JobGUID", result.job_guid}, {"Added", now_iso()}};
            service_.store().put(account, member);
        } else if (render && !job.text("DeviceGUID").empty()) {
            auto record = service_.store().get(account, "job", result.job_guid);
            send_job_to_device(service_, account, *record,
                               job.text("DeviceGUID"), nullptr);
        }
        file_away(file, folder / "done");
    } catch (const std::exception& error) {
        fs::path moved = file_away(file, folder / "error");
        std::ofstream reason(moved.string() + ".reason.txt");
        reason << name << ": " << error.what() << "\n";
    }
}

}  // namespace ripline::server
