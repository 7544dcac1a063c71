// SPDX-License-Identifier: AGPL-3.0-or-later
// Notifier: job and device events, stored in sequence and fanned out live.
#pragma once

#include "store.hpp"

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ripline::server {

// A connected client (a WebSocket session) of one account.
class Subscriber {
public:
    virtual ~Subscriber() = default;
    // Queue one message; called with the notifier's lock held, so it
    // must not block (sessions post it to their own strand).
    virtual void deliver(std::shared_ptr<const std::string> message) = 0;

    AccountId account = 0;
    std::set<std::string> topics;  // empty: nothing yet; "*": all
    std::int64_t last_seq = 0;     // the newest event it was sent
};

class Notifier {
public:
    void set_store(Store* store) { store_ = store; }

    // Record EVENT for ACCOUNT and send it to its subscribers of the topic.
    // The stored body gets "Seq" (the resume point) and "Topic".
    std::int64_t publish(AccountId account, const std::string& topic,
                         nlohmann::json body);

    // Subscribe SUBSCRIBER to TOPICS; first replays the stored events after
    // RESUME_FROM (0: none), so a reconnecting client loses nothing.
    void subscribe(const std::shared_ptr<Subscriber>& subscriber,
                   const std::set<std::string>& topics,
                   std::int64_t resume_from);
    void unsubscribe(const Subscriber* subscriber);

    std::size_t subscriber_count();

private:
    static bool wants(const Subscriber& s, const std::string& topic);

    Store* store_ = nullptr;
    std::mutex mutex_;
    std::vector<std::weak_ptr<Subscriber>> subscribers_;
};

}  // namespace ripline::server
