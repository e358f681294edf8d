import GRDB

/// Payments' schema. Migrations are named and never edited once landed: a change is a new migration,
/// and `Tests/Unit/Fixtures/schemas/payments.sql` pins what each one produces.
///
/// Every resource row carries the marketplace (`tenant_id`) it belongs to; lookups always filter on
/// it, so one marketplace's resources do not exist for another.
enum PaymentsMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "marketplace") { t in
                t.primaryKey("id", .text)
                t.column("name", .text)
                t.column("owner_customer_id", .text)
                t.column("created_at", .integer).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(table: "api_key") { t in
                t.primaryKey("id", .text)
                t.column("tenant_id", .text).notNull().indexed().references("marketplace")
                t.column("secret_hash", .text).notNull().unique()
                t.column("meta", .text).notNull()
                t.column("created_at", .integer).notNull()
            }
            try db.create(table: "customer") { t in
                t.primaryKey("id", .text)
                t.column("tenant_id", .text).notNull()
                for column in ["name", "business_name", "email", "phone", "ssn_last4", "ein", "source_id"] {
                    t.column(column, .text)
                }
                t.column("dob_month", .integer)
                t.column("dob_year", .integer)
                t.column("merchant_status", .text).notNull()
                t.column("address", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("deleted_at", .integer)
                t.column("created_at", .integer).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(index: "customer_by_tenant", on: "customer", columns: ["tenant_id", "created_at"])
            try db.create(table: "card") { t in
                t.primaryKey("id", .text)
                t.column("tenant_id", .text)
                t.column("customer_id", .text).indexed()
                for column in ["name", "last_four", "brand", "fingerprint", "cvv_match", "avs_street_match", "avs_postal_match", "bank_name"] {
                    t.column(column, .text)
                }
                t.column("expiration_month", .integer).notNull()
                t.column("expiration_year", .integer).notNull()
                t.column("address", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("deleted_at", .integer)
                t.column("created_at", .integer).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(index: "card_by_tenant", on: "card", columns: ["tenant_id", "created_at"])
            try db.create(table: "card_hold") { t in
                t.primaryKey("id", .text)
                t.column("tenant_id", .text).notNull()
                t.column("card_id", .text).notNull().indexed()
                t.column("amount", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("description", .text)
                t.column("status", .text).notNull()
                t.column("failure_reason_code", .text)
                t.column("failure_reason", .text)
                t.column("transaction_number", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("debit_id", .text)
                t.column("fraud_check_id", .text)
                t.column("expires_at", .integer).notNull()
                t.column("voided_at", .integer)
                t.column("created_at", .integer).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(index: "card_hold_by_tenant", on: "card_hold", columns: ["tenant_id", "created_at"])
            try db.create(table: "debit") { t in
                t.primaryKey("id", .text)
                t.column("tenant_id", .text).notNull()
                t.column("card_id", .text).notNull().indexed()
                t.column("customer_id", .text).indexed()
                t.column("card_hold_id", .text)
                t.column("amount", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("description", .text)
                t.column("appears_on_statement_as", .text).notNull()
                t.column("status", .text).notNull()
                t.column("failure_reason_code", .text)
                t.column("failure_reason", .text)
                t.column("transaction_number", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("fraud_check_id", .text)
                t.column("created_at", .integer).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(index: "debit_by_tenant", on: "debit", columns: ["tenant_id", "created_at"])
            try db.create(table: "refund") { t in
                t.primaryKey("id", .text)
                t.column("tenant_id", .text).notNull()
                t.column("debit_id", .text).notNull().indexed().references("debit")
                t.column("amount", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("description", .text)
                t.column("status", .text).notNull()
                t.column("transaction_number", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(index: "refund_by_tenant", on: "refund", columns: ["tenant_id", "created_at"])
            try db.create(table: "ledger_entry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("tenant_id", .text).notNull()
                t.column("transaction_id", .text).notNull().indexed()
                t.column("account", .text).notNull()
                t.column("amount", .integer).notNull()
                t.column("created_at", .integer).notNull()
            }
            // Account balances kept in step with the entries, so reading one never sums the ledger.
            try db.create(table: "account_balance") { t in
                t.column("tenant_id", .text).notNull()
                t.column("account", .text).notNull()
                t.column("balance", .integer).notNull()
                t.primaryKey(["tenant_id", "account"])
            }
            // Collection totals kept in step with inserts, so a page's `meta.total` costs the same at any size.
            try db.create(table: "collection_total") { t in
                t.primaryKey("name", .text)
                t.column("total", .integer).notNull()
            }
            // Responses to money-moving POSTs by Idempotency-Key, replayed for a retried request.
            try db.create(table: "idempotent_request") { t in
                t.column("tenant_id", .text).notNull()
                t.column("key", .text).notNull()
                t.column("request", .text).notNull()
                t.column("status", .integer)
                t.column("response", .text)
                t.column("created_at", .integer).notNull()
                t.primaryKey(["tenant_id", "key"])
            }
        }
        // Captured debits are listed by hold (`GET /card_holds/{id}/debits`).
        migrator.registerMigration("v2") { db in
            try db.create(index: "debit_by_card_hold", on: "debit", columns: ["card_hold_id"])
        }
        // The processor's reference for the approval behind a debit or hold, to capture, void and refund
        // it at the processor. Rows from before have none: they settle here only.
        migrator.registerMigration("v3-processor-reference") { db in
            try db.alter(table: "debit") { t in t.add(column: "processor_reference", .text) }
            try db.alter(table: "card_hold") { t in t.add(column: "processor_reference", .text) }
        }
        // Idempotent requests kept whole held card numbers and security codes, which live only in vault:
        // a request is now its route, its field names and a keyed HMAC per field. Rows from before keep
        // their route and lose their body (a reuse of such a key is compared by route), and the bytes
        // they held are overwritten, not just freed.
        migrator.registerMigration("v4-idempotency-without-card-data") { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.alter(table: "idempotent_request") { t in
                t.add(column: "route", .text).notNull().defaults(to: "")
                t.add(column: "fields", .text)
                t.add(column: "holder", .text).notNull().defaults(to: "")
            }
            try db.execute(
                sql: """
                    UPDATE idempotent_request SET
                        route = substr(request, 1, instr(request, ' ') + instr(substr(request, instr(request, ' ') + 1) || ' ', ' ') - 1),
                        request = '(stored before requests were fingerprinted)'
                    """)
        }
        return migrator
    }
}
