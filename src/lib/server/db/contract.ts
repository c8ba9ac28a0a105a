/**
 * The input tables of the data contract (shared/spec/data-contract.md), as data.
 * Ingest validates against it, the sample generator writes it, migrations mirror it.
 * Column order here is the order of the CSV files the sample generator writes.
 */
export type ColType =
	| 'id'
	| 'text'
	| 'bool'
	| 'int'
	| 'money' // yuan in files, integer fen (BIGINT) in the database, column name gets no suffix
	| 'date'
	| 'ts'
	| 'month' // YYYY-MM
	| { enum: readonly string[] };

export interface ColumnSpec {
	name: string;
	type: ColType;
	optional?: boolean;
	/** Inclusive bounds for int columns. */
	min?: number;
	max?: number;
}

export interface TableSpec {
	name: TableName;
	columns: ColumnSpec[];
	key: string[];
}

import { CATEGORIES, IMAGE_TYPES, PAYMENT_METHODS, REASON_CODES, REGIONS, RULINGS } from '../../contract-enums.ts';
export { CATEGORIES, IMAGE_TYPES, LANGUAGES, PAYMENT_METHODS, REASON_CODES, REGIONS, RULINGS } from '../../contract-enums.ts';

export type TableName =
	| 'sellers'
	| 'providers'
	| 'orders'
	| 'revisions'
	| 'disputes'
	| 'delistings'
	| 'ctr_daily'
	| 'payments';

const c = (name: string, type: ColType, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type, ...extra });

export const TABLES: Record<TableName, TableSpec> = {
	sellers: {
		name: 'sellers',
		key: ['seller_id'],
		columns: [
			c('seller_id', 'id'),
			c('name', 'text'),
			c('uscc', 'text'),
			c('entity_type', { enum: ['enterprise', 'individual'] }),
			c('enterprise_certified', 'bool'),
			c('store_level', 'int', { min: 1, max: 5 }),
			c('region', { enum: REGIONS }),
			c('service_opened_at', 'ts'),
			c('serious_violation_90d', 'bool'),
			c('license_from', 'date', { optional: true }),
			c('license_provider_id', 'id', { optional: true }),
			c('invoice_title', 'text'),
			c('invoice_address', 'text', { optional: true }),
			c('invoice_phone', 'text', { optional: true }),
			c('invoice_bank', 'text', { optional: true }),
			c('invoice_account', 'text', { optional: true })
		]
	},
	providers: {
		name: 'providers',
		key: ['provider_id'],
		columns: [c('provider_id', 'id'), c('name', 'text'), c('certified_at', 'date')]
	},
	orders: {
		name: 'orders',
		key: ['order_id'],
		columns: [
			c('order_id', 'id'),
			c('seller_id', 'id'),
			c('provider_id', 'id'),
			c('sku_id', 'id'),
			c('category', { enum: CATEGORIES }),
			c('image_type', { enum: IMAGE_TYPES }),
			c('image_count', 'int', { min: 1 }),
			c('rush', 'bool'),
			c('languages', 'text', { optional: true }),
			c('store_license', 'bool'),
			c('delivery_days', 'int', { min: 3 }),
			c('reference_images', 'int', { min: 0 }),
			c('has_3d_model', 'bool'),
			c('spec_form_filled', 'bool'),
			c('published_at', 'ts'),
			c('matched_at', 'ts', { optional: true }),
			c('first_draft_at', 'ts', { optional: true }),
			c('delivered_at', 'ts', { optional: true }),
			c('accepted_at', 'ts', { optional: true }),
			c('live_at', 'ts', { optional: true }),
			c('cancelled_at', 'ts', { optional: true })
		]
	},
	revisions: {
		name: 'revisions',
		key: ['order_id', 'requested_at'],
		columns: [
			c('order_id', 'id'),
			c('requested_at', 'ts'),
			c('reason_code', { enum: REASON_CODES }),
			c('redelivered_at', 'ts', { optional: true })
		]
	},
	disputes: {
		name: 'disputes',
		key: ['dispute_id'],
		columns: [
			c('dispute_id', 'id'),
			c('order_id', 'id'),
			c('opened_at', 'ts'),
			c('reason_code', { enum: REASON_CODES }),
			c('first_response_at', 'ts', { optional: true }),
			c('resolved_at', 'ts', { optional: true }),
			c('ruling', { enum: RULINGS }, { optional: true })
		]
	},
	delistings: {
		name: 'delistings',
		key: ['delisting_id'],
		columns: [
			c('delisting_id', 'id'),
			c('order_id', 'id'),
			c('delisted_at', 'ts'),
			c('claimed_loss', 'money'),
			c('accountability_started_at', 'ts', { optional: true }),
			c('compensated_at', 'ts', { optional: true })
		]
	},
	ctr_daily: {
		name: 'ctr_daily',
		key: ['sku_id', 'date'],
		columns: [
			c('sku_id', 'id'),
			c('date', 'date'),
			c('impressions', 'int', { min: 0 }),
			c('clicks', 'int', { min: 0 }),
			c('add_to_cart', 'int', { min: 0 })
		]
	},
	payments: {
		name: 'payments',
		key: ['payment_id'],
		columns: [
			c('payment_id', 'id'),
			c('seller_id', 'id'),
			c('month', 'month'),
			c('paid_at', 'ts'),
			c('amount', 'money'),
			c('method', { enum: PAYMENT_METHODS })
		]
	}
};

/** Load order: referenced tables before the tables that reference them. */
export const LOAD_ORDER: TableName[] = [
	'providers',
	'sellers',
	'orders',
	'revisions',
	'disputes',
	'delistings',
	'ctr_daily',
	'payments'
];
