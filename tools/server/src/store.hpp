// SPDX-License-Identifier: AGPL-3.0-or-later
// Store: the service's persistent state behind one interface, per tenant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ripline::server {

using AccountId = std::int64_t;

struct Account {
    AccountId id = 0;
    std::string guid;
    std::string name;
};

struct Site {
    AccountId account = 0;
    std::string serial_number;
    std::string name;
};

// A RIP computer known by the hash of its hardware, at one site.
struct Computer {
    AccountId account = 0;
    std::string serial_number;
    std::string hardware_hash;
    std::string computer_guid;
};

// One stored object of the API (job, document, device, queue, ...). The
// columns the store filters on are copied out of BODY by the caller.
struct Entity {
    std::string kind;
    std::string guid;
    std::string parent;   // e.g. a device's ComputerGUID, a job's DeviceGUID
    std::string status;   // e.g. a job's Status
    std::string created;  // ISO 8601 UTC
    std::string modified;
    nlohmann::json body = nlohmann::json::object();
};

struct ListQuery {
    std::string parent;               // empty: any
    std::vector<std::string> statuses;  // empty: any
    std::int64_t offset = 0;
    std::int64_t limit = -1;          // -1: all
};

struct JournalEntry {
    std::string date;
    double duration_s = 0;
    std::string process;  // "RIP", "Spooler", "Creation", ...
    std::string message;
};

// One version of a versioned object (document revision, resource version).
struct Revision {
    int number = 0;
    std::string sha1;  // upper-case hex, the blob's name
    std::uint64_t size = 0;
    std::string timestamp;  // the version's modification time, ISO UTC
    std::string created;    // when we stored it
    nlohmann::json meta = nlohmann::json::object();
};

struct LogEntry {
    std::int64_t id = 0;
    std::string kind;  // "log" or "crash"
    std::string created;
    nlohmann::json body = nlohmann::json::object();
};

struct LogQuery {
    std::string kind, type, computer_guid, device_guid, job_guid, text;
    std::string since, until;
    std::int64_t offset = 0;
    std::int64_t limit = 100;
};

struct Event {
    std::int64_t seq = 0;
    std::string topic;  // "job", "device", "nest", ...
    nlohmann::json body;
};

// Every call names the account it acts for; no call reads across accounts
// except the two lookups that find the account of a caller.
class Store {
public:
    virtual ~Store() = default;

    // Tenants. KEY_HASH is the SHA-256 of the MIS key, never the key.
    virtual Account create_account(const std::string& name,
                                   const std::string& key_hash) = 0;
    virtual void add_mis_key(AccountId account,
                             const std::string& key_hash) = 0;
    virtual std::optional<Account> account_by_key(
        const std::string& key_hash) = 0;
    virtual std::optional<Account> account_by_name(
        const std::string& name) = 0;
    virtual Site add_site(AccountId account, const std::string& name) = 0;
    virtual std::vector<Site> sites(AccountId account) = 0;
    virtual std::optional<Site> site_by_serial(
        const std::string& serial_number) = 0;
    virtual void add_user(AccountId account, const std::string& name,
                          const std::string& serial_number) = 0;
    virtual void add_computer(const Computer& computer) = 0;
    virtual std::optional<Computer> computer_by_hardware(
        const std::string& serial_number,
        const std::string& hardware_hash) = 0;

    // Objects of the API.
    virtual std::optional<Entity> get(AccountId account,
                                      const std::string& kind,
                                      const std::string& guid) = 0;
    virtual void put(AccountId account, const Entity& entity) = 0;
    virtual bool remove(AccountId account, const std::string& kind,
                        const std::string& guid) = 0;
    virtual std::vector<Entity> list(AccountId account,
                                     const std::string& kind,
                                     const ListQuery& query) = 0;
    // Objects of KIND in any account, for the embedded services (hotfolders,
    // RIP worker) that act for every tenant; pairs of account and object.
    virtual std::vector<std::pair<AccountId, Entity>> list_all(
        const std::string& kind, const ListQuery& query) = 0;

    virtual void journal_add(AccountId account, const std::string& job_guid,
                             const JournalEntry& entry) = 0;
    virtual std::vector<JournalEntry> journal(AccountId account,
                                              const std::string& job) = 0;

    // Versions; add_revision numbers them 1, 2, ... per object.
    virtual int add_revision(AccountId account, const std::string& kind,
                             const std::string& guid,
                             const Revision& revision) = 0;
    virtual std::vector<Revision> revisions(AccountId account,
                                            const std::string& kind,
                                            const std::string& guid) = 0;
    // Remove versions stored before CUTOFF that are not their object's
    // latest; returns the SHA-1s no longer referenced by any version.
    virtual std::vector<std::string> purge_revisions(
        const std::string& kind, const std::string& cutoff) = 0;
    virtual bool blob_referenced(const std::string& sha1) = 0;

    virtual std::int64_t add_log(AccountId account, const LogEntry& entry) = 0;
    virtual std::vector<LogEntry> logs(AccountId account,
                                       const LogQuery& query) = 0;

    virtual std::int64_t add_event(AccountId account, const Event& event) = 0;
    virtual std::vector<Event> events_since(AccountId account,
                                            std::int64_t seq,
                                            std::int64_t limit) = 0;

    // Run FN in one transaction: all of its writes land, or none.
    virtual void transaction(const std::function<void()>& fn) = 0;

    virtual int schema_version() = 0;
};

// The embedded default: SQLite in WAL mode at PATH, migrated on open.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

// Current time as ISO 8601 UTC with milliseconds ("2026-12-03T11:00:00.000Z").
std::string now_iso();

}  // namespace ripline::server
