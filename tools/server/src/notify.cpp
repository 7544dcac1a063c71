// SPDX-License-Identifier: AGPL-3.0-or-later
// Event log and live fan-out; one lock orders storing and sending.
#include "notify.hpp"

#include <algorithm>
#include <vector>

namespace ripline::server {

bool Notifier::wants(const Subscriber& s, const std::string& topic) {
    return s.topics.count("*") > 0 || s.topics.count(topic) > 0;
}

std::int64_t Notifier::publish(AccountId account, const std::string& topic,
                               nlohmann::json body) {
    // Store and send under one lock so every client sees events in order.
    // Subscribers stay referenced until the lock is released: dropping the
    // last reference to one unsubscribes it, which takes the lock.
    std::vector<std::shared_ptr<Subscriber>> alive;
    std::lock_guard lock(mutex_);
    std::int64_t seq = store_->add_event(account, {0, topic, body});
    body["Seq"] = seq;
    body["Topic"] = topic;
    auto text = std::make_shared<const std::string>(body.dump());
    for (auto& weak : subscribers_) {
        auto subscriber = weak.lock();
        alive.push_back(subscriber);
        if (!subscriber || subscriber->account != account ||
            !wants(*subscriber, topic) || subscriber->last_seq >= seq)
            continue;
        subscriber->last_seq = seq;
        subscriber->deliver(text);
    }
    return seq;
}

void Notifier::subscribe(const std::shared_ptr<Subscriber>& subscriber,
                         const std::set<std::string>& topics,
                         std::int64_t resume_from) {
    std::vector<std::shared_ptr<Subscriber>> alive; // see publish()
    std::lock_guard lock(mutex_);
    subscriber->topics.insert(topics.begin(), topics.end());

    // Replay what was missed, in pages, before live events resume.
    if (resume_from > 0 && resume_from > subscriber->last_seq)
        subscriber->last_seq = resume_from;
    for (std::int64_t seq = subscriber->last_seq;;) {
        auto events = store_->events_since(subscriber->account, seq, 500);
        for (auto& event : events) {
            seq = event.seq;
            if (resume_from <= 0 || !wants(*subscriber, event.topic))
                continue;
            event.body["Seq"] = event.seq;
            event.body["Topic"] = event.topic;
            subscriber->deliver(
                std::make_shared<const std::string>(event.body.dump()));
        }
        subscriber->last_seq = seq;
        if (events.size() < 500)
            break;
    }

    auto known = std::find_if(
        subscribers_.begin(), subscribers_.end(),
        [&](auto& weak) {
            alive.push_back(weak.lock());
            return alive.back() == subscriber;
        });
    if (known == subscribers_.end())
        subscribers_.push_back(subscriber);
}

void Notifier::unsubscribe(const Subscriber* subscriber) {
    std::vector<std::shared_ptr<Subscriber>> alive; // see publish()
    std::lock_guard lock(mutex_);
    subscribers_.erase(
        std::remove_if(subscribers_.begin(), subscribers_.end(),
                       [&](auto& weak) {
                           alive.push_back(weak.lock());
                           return !alive.back() ||
                                  alive.back().get() == subscriber;
                       }),
        subscribers_.end());
}

std::size_t Notifier::subscriber_count() {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
}

}  // namespace ripline::server
