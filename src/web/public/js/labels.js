// Human labels for event types and payload summaries.

const SOURCE_LABELS = { shopify: 'Shopify', supabase: 'Supabase', calendar: 'Calendar', signed: 'Signed webhook' };
export const sourceLabel = (source) => SOURCE_LABELS[source] ?? source;

/** 'shopify.inventory.low' → 'Inventory low' */
export function eventTypeLabel(type) {
  const parts = String(type ?? '').split('.');
  const rest = parts.slice(1).join(' ').replace(/_/g, ' ');
  if (!rest) return String(type ?? '');
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

export const sourceOf = (type) => String(type ?? '').split('.')[0];

const str = (v) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/** One line that says what an event is about, from whatever its payload carries. */
export function eventSummary(event) {
  const d = event.event_data && typeof event.event_data === 'object' ? event.event_data : {};
  switch (event.source) {
    case 'shopify': {
      if (event.event_type === 'shopify.order.created') {
        const name = str(d.name) ?? (str(d.order_number) ? `#${d.order_number}` : undefined);
        const total = str(d.total_price);
        return [name ? `Order ${name}` : 'New order', total ? `${total} ${str(d.currency) ?? ''}`.trim() : undefined]
          .filter(Boolean)
          .join(' · ');
      }
      if (event.event_type.startsWith('shopify.inventory')) {
        const available = d.available ?? d.inventory?.available;
        const title = str(d.title) ?? str(d.product?.title) ?? str(d.sku);
        return (
          [title, available !== undefined && available !== null ? `${available} available` : undefined]
            .filter(Boolean)
            .join(' · ') || 'Inventory level changed'
        );
      }
      return str(d.title) ?? str(d.name) ?? str(d.handle) ?? (str(d.id) ? `id ${d.id}` : '');
    }
    case 'supabase': {
      const table = str(d.table) ?? str(d.table_name) ?? str(d.object_identity) ?? str(d.name);
      const schema = str(d.schema) ?? str(d.schema_name);
      const base = table ? (schema && !table.includes('.') ? `${schema}.${table}` : table) : undefined;
      const file = str(d.file) ?? str(d.migration) ?? str(d.version);
      return base ?? file ?? (Array.isArray(d.changes) ? `${d.changes.length} changes` : '');
    }
    case 'calendar':
      return str(d.summary) ?? str(d.title) ?? '';
    default:
      return str(d.title) ?? str(d.name) ?? '';
  }
}
