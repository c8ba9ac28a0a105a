// Enumerations of the data contract, shared by browser and server code.
export const REGIONS = ['shenzhen', 'yiwu', 'guangzhou', 'other'] as const;
export const CATEGORIES = ['apparel', 'shoes_bags', 'home', 'toys', 'beauty', 'electronics', 'jewelry'] as const;
export const IMAGE_TYPES = ['main', 'scene'] as const;
export const REASON_CODES = ['R01', 'R02', 'R03', 'R04', 'R05', 'R06', 'R07', 'R08', 'R09', 'R10', 'R11', 'R12'] as const;
export const RULINGS = ['provider_fault', 'unclear_requirement', 'rejected'] as const;
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt'] as const;
export const PAYMENT_METHODS = ['alipay', 'bank'] as const;
