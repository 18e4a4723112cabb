/** A shop's myshopify domain as users give it (lower case): the routing key of its webhooks. */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;
