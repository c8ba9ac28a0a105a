-- 发票号码 (invoice numbers) that the tax system gave our 发票流水号 (serials), imported by finance
-- (src/lib/server/billing/invoice-numbers.ts). Kept apart from vat_invoices so that issued ledger
-- rows never change; a red-letter entry issued after the import names its original's number.
CREATE TABLE IF NOT EXISTS vat_invoice_numbers (
  serial VARCHAR NOT NULL PRIMARY KEY,    -- vat_invoices.serial
  invoice_number VARCHAR NOT NULL UNIQUE, -- 发票号码: 20 digits for 数电票 (8 or 10–12 for older paper ones)
  imported_at TIMESTAMPTZ NOT NULL,
  imported_by VARCHAR NOT NULL
);
