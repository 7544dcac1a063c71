// SPDX-License-Identifier: AGPL-3.0-or-later
// The SQLite back end of Store: WAL mode, one connection per thread.
#include "store.hpp"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>

namespace ripline::server {

std::string now_iso() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                  utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms % 1000));
    return text;
}

namespace {

// Schema versions, applied in order; PRAGMA user_version records the last.
// Append only: a released step is never edited.
const char* const migrations[] = {
    // 1: tenants, objects, journal, versions, logs, events.
    R"(
CREATE TABLE accounts(id INTEGER PRIMARY KEY, guid TEXT UNIQUE NOT NULL,
  name TEXT UNIQUE NOT NULL, created TEXT NOT NULL);
CREATE TABLE mis_keys(key_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id), created TEXT NOT NULL);
CREATE TABLE sites(serial_number TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id), name TEXT NOT NULL);
CREATE TABLE users(id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id), name TEXT NOT NULL,
  serial_number TEXT);
CREATE TABLE computers(serial_number TEXT NOT NULL, hardware_hash TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  computer_guid TEXT NOT NULL, PRIMARY KEY(serial_number, hardware_hash));
CREATE TABLE entities(account_id INTEGER NOT NULL, kind TEXT NOT NULL,
  guid TEXT NOT NULL, parent TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
  modified TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY(account_id, kind, guid));
CREATE INDEX entities_list ON entities(account_id, kind, created);
CREATE TABLE journal(id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,
  job_guid TEXT NOT NULL, date TEXT NOT NULL, duration REAL NOT NULL,
  process TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX journal_job ON journal(account_id, job_guid);
CREATE TABLE revisions(account_id INTEGER NOT NULL, kind TEXT NOT NULL,
  guid TEXT NOT NULL, number INTEGER NOT NULL, sha1 TEXT NOT NULL,
  size INTEGER NOT NULL, timestamp TEXT NOT NULL, created TEXT NOT NULL,
  meta TEXT NOT NULL, PRIMARY KEY(account_id, kind, guid, number));
CREATE INDEX revisions_sha1 ON revisions(sha1);
CREATE TABLE logs(id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,
  kind TEXT NOT NULL, created TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX logs_account ON logs(account_id, created);
CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL, topic TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX events_account ON events(account_id, seq);
)",
};

std::string random_guid() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uint64_t a = rng(), b = rng();
    char text[40];
    std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx",
                  static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff),
                  static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>(((b >> 48) & 0x3fff) | 0x8000),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return text;
}

// One prepared statement, reset when it goes out of scope.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~Statement() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    Statement& bind(int index, const std::string& text) {
        sqlite3_bind_text(stmt_, index, text.data(),
                          static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(stmt_, index, value);
        return *this;
    }
    Statement& bind(int index, double value) {
        sqlite3_bind_double(stmt_, index, value);
        return *this;
    }
    // True while a row is available.
    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        throw std::runtime_error(std::string("store: ") +
                                 sqlite3_errmsg(sqlite3_db_handle(stmt_)));
    }
    std::string text(int column) const {
        auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               sqlite3_column_bytes(stmt_, column))
                 : std::string();
    }
    std::int64_t integer(int column) const {
        return sqlite3_column_int64(stmt_, column);
    }
    double real(int column) const { return sqlite3_column_double(stmt_, column); }

private:
    sqlite3_stmt* stmt_;
};

// A connection with its statement cache; each thread has its own.
struct Connection {
    sqlite3* db = nullptr;
    std::map<std::string, sqlite3_stmt*> statements;
    int transaction_depth = 0;

    ~Connection() {
        for (auto& [sql, stmt] : statements)
            sqlite3_finalize(stmt);
        sqlite3_close(db);
    }
    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) !=
            SQLITE_OK) {
            std::string text = error ? error : "unknown error";
            sqlite3_free(error);
            throw std::runtime_error("store: " + text + " in: " +
                                     sql.substr(0, 60));
        }
    }
    Statement prepare(const std::string& sql) {
        auto& stmt = statements[sql];
        if (!stmt && sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt,
                                        nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("store: ") +
                                     sqlite3_errmsg(db) + " in: " + sql);
        return Statement(stmt);
    }
};

Entity read_entity(const Statement& row, const std::string& kind) {
    Entity entity;
    entity.kind = kind;
    entity.guid = row.text(0);
    entity.parent = row.text(1);
    entity.status = row.text(2);
    entity.created = row.text(3);
    entity.modified = row.text(4);
    entity.body = nlohmann::json::parse(row.text(5));
    return entity;
}

class SqliteStore final : public Store {
public:
    explicit SqliteStore(std::string path)
        : path_(std::move(path)), id_(next_id_++) {
        migrate();
    }

    Account create_account(const std::string& name,
                           const std::string& key_hash) override {
        Account account{0, random_guid(), name};
        transaction([&] {
            conn().prepare("INSERT INTO accounts(guid, name, created) "
                           "VALUES(?,?,?)")
                .bind(1, account.guid).bind(2, name).bind(3, now_iso())
                .step();
            account.id = sqlite3_last_insert_rowid(conn().db);
            add_mis_key(account.id, key_hash);
        });
        return account;
    }

    void add_mis_key(AccountId account, const std::string& hash) override {
        conn().prepare("INSERT INTO mis_keys VALUES(?,?,?)")
            .bind(1, hash).bind(2, account).bind(3, now_iso()).step();
    }

    std::optional<Account> account_by_key(const std::string& hash) override {
        auto row = conn().prepare(
            "SELECT a.id, a.guid, a.name FROM mis_keys k JOIN accounts a "
            "ON a.id = k.account_id WHERE k.key_hash = ?");
        row.bind(1, hash);
        if (!row.step())
            return std::nullopt;
        return Account{row.integer(0), row.text(1), row.text(2)};
    }

    std::optional<Account> account_by_name(const std::string& name) override {
        auto row = conn().prepare(
            "SELECT id, guid, name FROM accounts WHERE name = ?");
        row.bind(1, name);
        if (!row.step())
            return std::nullopt;
        return Account{row.integer(0), row.text(1), row.text(2)};
    }

    Site add_site(AccountId account, const std::string& name) override {
        // Serial numbers are numeric as PrintFactory's, unique store-wide.
        std::mt19937_64 rng{std::random_device{}()};
        for (;;) {
            Site site{account, std::to_string(100000 + rng() % 900000), name};
            if (site_by_serial(site.serial_number))
                continue;
            conn().prepare("INSERT INTO sites VALUES(?,?,?)")
                .bind(1, site.serial_number).bind(2, account).bind(3, name)
                .step();
            return site;
        }
    }

    std::vector<Site> sites(AccountId account) override {
        auto row = conn().prepare("SELECT serial_number, name FROM sites "
                                  "WHERE account_id = ? ORDER BY name");
        row.bind(1, account);
        std::vector<Site> out;
        while (row.step())
            out.push_back({account, row.text(0), row.text(1)});
        return out;
    }

    std::optional<Site> site_by_serial(const std::string& serial) override {
        auto row = conn().prepare(
            "SELECT account_id, name FROM sites WHERE serial_number = ?");
        row.bind(1, serial);
        if (!row.step())
            return std::nullopt;
        return Site{row.integer(0), serial, row.text(1)};
    }

    void add_user(AccountId account, const std::string& name,
                  const std::string& serial) override {
        conn().prepare("INSERT INTO users(account_id, name, serial_number) "
                       "VALUES(?,?,?)")
            .bind(1, account).bind(2, name).bind(3, serial).step();
    }

    void add_computer(const Computer& c) override {
        conn().prepare("INSERT OR REPLACE INTO computers VALUES(?,?,?,?)")
            .bind(1, c.serial_number).bind(2, c.hardware_hash)
            .bind(3, c.account).bind(4, c.computer_guid).step();
    }

    std::optional<Computer> computer_by_hardware(
        const std::string& serial, const std::string& hash) override {
        auto row = conn().prepare(
            "SELECT account_id, computer_guid FROM computers "
            "WHERE serial_number = ? AND hardware_hash = ?");
        row.bind(1, serial).bind(2, hash);
        if (!row.step())
            return std::nullopt;
        return Computer{row.integer(0), serial, hash, row.text(1)};
    }

    std::optional<Entity> get(AccountId account, const std::string& kind,
                              const std::string& guid) override {
        auto row = conn().prepare(
            "SELECT guid, parent, status, created, modified, body "
            "FROM entities WHERE account_id = ? AND kind = ? AND guid = ?");
        row.bind(1, account).bind(2, kind).bind(3, guid);
        if (!row.step())
            return std::nullopt;
        return read_entity(row, kind);
    }

    void put(AccountId account, const Entity& e) override {
        std::string now = now_iso();
        conn().prepare(
                  "INSERT INTO entities VALUES(?,?,?,?,?,?,?,?) "
                  "ON CONFLICT(account_id, kind, guid) DO UPDATE SET "
                  "parent = excluded.parent, status = excluded.status, "
                  "modified = excluded.modified, body = excluded.body")
            .bind(1, account).bind(2, e.kind).bind(3, e.guid)
            .bind(4, e.parent).bind(5, e.status)
            .bind(6, e.created.empty() ? now : e.created)
            .bind(7, now).bind(8, e.body.dump()).step();
    }

    bool remove(AccountId account, const std::string& kind,
                const std::string& guid) override {
        conn().prepare("DELETE FROM entities WHERE account_id = ? AND "
                       "kind = ? AND guid = ?")
            .bind(1, account).bind(2, kind).bind(3, guid).step();
        return sqlite3_changes(conn().db) > 0;
    }

    std::vector<Entity> list(AccountId account, const std::string& kind,
                             const ListQuery& query) override {
        return select_entities(&account, kind, query).front();
    }

    std::vector<std::pair<AccountId, Entity>> list_all(
        const std::string& kind, const ListQuery& query) override {
        std::vector<std::pair<AccountId, Entity>> out;
        auto sql = list_sql(false, query) ;
        auto row = conn().prepare(sql);
        bind_list(row, nullptr, kind, query);
        while (row.step())
            out.emplace_back(row.integer(6), read_entity(row, kind));
        return out;
    }

    void journal_add(AccountId account, const std::string& job,
                     const JournalEntry& e) override {
        conn().prepare("INSERT INTO journal(account_id, job_guid, date, "
                       "duration, process, message) VALUES(?,?,?,?,?,?)")
            .bind(1, account).bind(2, job)
            .bind(3, e.date.empty() ? now_iso() : e.date)
            .bind(4, e.duration_s).bind(5, e.process).bind(6, e.message)
            .step();
    }

    std::vector<JournalEntry> journal(AccountId account,
                                      const std::string& job) override {
        auto row = conn().prepare(
            "SELECT date, duration, process, message FROM journal "
            "WHERE account_id = ? AND job_guid = ? ORDER BY id");
        row.bind(1, account).bind(2, job);
        std::vector<JournalEntry> out;
        while (row.step())
            out.push_back({row.text(0), row.real(1), row.text(2),
                           row.text(3)});
        return out;
    }

    int add_revision(AccountId account, const std::string& kind,
                     const std::string& guid, const Revision& r) override {
        int number = 0;
        transaction([&] {
            auto max = conn().prepare(
                "SELECT COALESCE(MAX(number), 0) FROM revisions WHERE "
                "account_id = ? AND kind = ? AND guid = ?");
            max.bind(1, account).bind(2, kind).bind(3, guid);
            max.step();
            number = static_cast<int>(max.integer(0)) + 1;
            conn().prepare("INSERT INTO revisions VALUES(?,?,?,?,?,?,?,?,?)")
                .bind(1, account).bind(2, kind).bind(3, guid)
                .bind(4, std::int64_t{number}).bind(5, r.sha1)
                .bind(6, static_cast<std::int64_t>(r.size))
                .bind(7, r.timestamp).bind(8, now_iso())
                .bind(9, r.meta.dump()).step();
        });
        return number;
    }

    std::vector<Revision> revisions(AccountId account,
                                    const std::string& kind,
                                    const std::string& guid) override {
        auto row = conn().prepare(
            "SELECT number, sha1, size, timestamp, created, meta FROM "
            "revisions WHERE account_id = ? AND kind = ? AND guid = ? "
            "ORDER BY number");
        row.bind(1, account).bind(2, kind).bind(3, guid);
        std::vector<Revision> out;
        while (row.step())
            out.push_back({static_cast<int>(row.integer(0)), row.text(1),
                           static_cast<std::uint64_t>(row.integer(2)),
                           row.text(3), row.text(4),
                           nlohmann::json::parse(row.text(5))});
        return out;
    }

    std::vector<std::string> purge_revisions(
        const std::string& kind, const std::string& cutoff) override {
        std::vector<std::string> freed;
        transaction([&] {
            auto old = conn().prepare(
                "SELECT DISTINCT r.sha1 FROM revisions r WHERE r.kind = ? "
                "AND r.created < ? AND r.number < (SELECT MAX(number) FROM "
                "revisions m WHERE m.account_id = r.account_id AND "
                "m.kind = r.kind AND m.guid = r.guid)");
            old.bind(1, kind).bind(2, cutoff);
            std::vector<std::string> candidates;
            while (old.step())
                candidates.push_back(old.text(0));
            conn().prepare(
                      "DELETE FROM revisions AS r WHERE r.kind = ? AND "
                      "r.created < ? AND r.number < (SELECT MAX(number) "
                      "FROM revisions m WHERE m.account_id = r.account_id "
                      "AND m.kind = r.kind AND m.guid = r.guid)")
                .bind(1, kind).bind(2, cutoff).step();
            for (auto& sha1 : candidates)
                if (!blob_referenced(sha1))
                    freed.push_back(sha1);
        });
        return freed;
    }

    bool blob_referenced(const std::string& sha1) override {
        auto row = conn().prepare(
            "SELECT 1 FROM revisions WHERE sha1 = ? LIMIT 1");
        row.bind(1, sha1);
        return row.step();
    }

    std::int64_t add_log(AccountId account, const LogEntry& e) override {
        conn().prepare("INSERT INTO logs(account_id, kind, created, body) "
                       "VALUES(?,?,?,?)")
            .bind(1, account).bind(2, e.kind)
            .bind(3, e.created.empty() ? now_iso() : e.created)
            .bind(4, e.body.dump()).step();
        return sqlite3_last_insert_rowid(conn().db);
    }

    std::vector<LogEntry> logs(AccountId account,
                               const LogQuery& q) override;

    std::int64_t add_event(AccountId account, const Event& e) override {
        conn().prepare("INSERT INTO events(account_id, topic, body) "
                       "VALUES(?,?,?)")
            .bind(1, account).bind(2, e.topic).bind(3, e.body.dump()).step();
        return sqlite3_last_insert_rowid(conn().db);
    }

    std::vector<Event> events_since(AccountId account, std::int64_t seq,
                                    std::int64_t limit) override {
        auto row = conn().prepare(
            "SELECT seq, topic, body FROM events WHERE account_id = ? AND "
            "seq > ? ORDER BY seq LIMIT ?");
        row.bind(1, account).bind(2, seq).bind(3, limit);
        std::vector<Event> out;
        while (row.step())
            out.push_back({row.integer(0), row.text(1),
                           nlohmann::json::parse(row.text(2))});
        return out;
    }

    void transaction(const std::function<void()>& fn) override {
        Connection& c = conn();
        if (c.transaction_depth > 0) {
            fn();
            return;
        }
        c.exec("BEGIN IMMEDIATE");
        c.transaction_depth = 1;
        try {
            fn();
            c.exec("COMMIT");
        } catch (...) {
            c.exec("ROLLBACK");
            c.transaction_depth = 0;
            throw;
        }
        c.transaction_depth = 0;
    }

    int schema_version() override {
        auto row = conn().prepare("PRAGMA user_version");
        row.step();
        return static_cast<int>(row.integer(0));
    }

private:
    // This thread's connection to this store, opened on first use.
    Connection& conn() {
        thread_local std::map<std::uint64_t, std::unique_ptr<Connection>>
            connections;
        auto& c = connections[id_];
        if (!c)
            c = open();
        return *c;
    }

    std::unique_ptr<Connection> open() {
        auto c = std::make_unique<Connection>();
        if (sqlite3_open_v2(path_.c_str(), &c->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK)
            throw std::runtime_error("store: cannot open " + path_ + ": " +
                                     sqlite3_errmsg(c->db));
        sqlite3_busy_timeout(c->db, 10000);
        c->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON");
        return c;
    }

    void migrate() {
        int version = schema_version();
        int latest = static_cast<int>(std::size(migrations));
        if (version > latest)
            throw std::runtime_error(
                "store: " + path_ + " has schema version " +
                std::to_string(version) + ", newer than this server's " +
                std::to_string(latest));
        for (int v = version; v < latest; ++v)
            transaction([&] {
                conn().exec(migrations[v]);
                conn().exec("PRAGMA user_version = " + std::to_string(v + 1));
            });
    }

    static std::string list_sql(bool one_account, const ListQuery& q) {
        std::string sql =
            "SELECT guid, parent, status, created, modified, body, "
            "account_id FROM entities WHERE kind = ?2";
        if (one_account)
            sql += " AND account_id = ?1";
        if (!q.parent.empty())
            sql += " AND parent = ?3";
        if (!q.statuses.empty()) {
            sql += " AND status IN (";
            for (std::size_t i = 0; i < q.statuses.size(); ++i)
                sql += (i ? ",?" : "?") + std::to_string(10 + i);
            sql += ")";
        }
        return sql + " ORDER BY created, guid LIMIT ?4 OFFSET ?5";
    }

    static void bind_list(Statement& row, const AccountId* account,
                          const std::string& kind, const ListQuery& q) {
        if (account)
            row.bind(1, *account);
        row.bind(2, kind);
        if (!q.parent.empty())
            row.bind(3, q.parent);
        row.bind(4, q.limit).bind(5, q.offset);
        for (std::size_t i = 0; i < q.statuses.size(); ++i)
            row.bind(static_cast<int>(10 + i), q.statuses[i]);
    }

    std::vector<std::vector<Entity>> select_entities(
        const AccountId* account, const std::string& kind,
        const ListQuery& q) {
        auto row = conn().prepare(list_sql(true, q));
        bind_list(row, account, kind, q);
        std::vector<Entity> out;
        while (row.step())
            out.push_back(read_entity(row, kind));
        return {std::move(out)};
    }

    std::string path_;
    std::uint64_t id_;
    static inline std::atomic<std::uint64_t> next_id_{1};
};

std::vector<LogEntry> SqliteStore::logs(AccountId account,
                                        const LogQuery& q) {
    // Filters on fields of the JSON body use SQLite's json_extract.
    std::string sql = "SELECT id, kind, created, body FROM logs WHERE "
                      "account_id = ?1";
    auto add = [&](const std::string& value, const char* clause) {
        if (!value.empty())
            sql += clause;
    };
    add(q.kind, " AND kind = ?2");
    add(q.type, " AND json_extract(body, '$.Type') = ?3");
    add(q.computer_guid, " AND json_extract(body, '$.ComputerGUID') = ?4");
    add(q.device_guid, " AND json_extract(body, '$.DeviceGUID') = ?5");
    add(q.job_guid, " AND json_extract(body, '$.JobGUID') = ?6");
    add(q.text, " AND instr(lower(body), lower(?7)) > 0");
    add(q.since, " AND created >= ?8");
    add(q.until, " AND created < ?9");
    sql += " ORDER BY id DESC LIMIT ?10 OFFSET ?11";
    auto row = conn().prepare(sql);
    row.bind(1, account);
    const std::string* values[] = {&q.kind, &q.type, &q.computer_guid,
                                   &q.device_guid, &q.job_guid, &q.text,
                                   &q.since, &q.until};
    for (int i = 0; i < 8; ++i)
        if (!values[i]->empty())
            row.bind(i + 2, *values[i]);
    row.bind(10, q.limit).bind(11, q.offset);
    std::vector<LogEntry> out;
    while (row.step())
        out.push_back({row.integer(0), row.text(1), row.text(2),
                       nlohmann::json::parse(row.text(3))});
    return out;
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
    return std::make_unique<SqliteStore>(path);
}

}  // namespace ripline::server
