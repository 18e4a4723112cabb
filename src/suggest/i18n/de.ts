/** Deutsch. Kundentexte duzen, außer in den Tönen refined und professional (Sie). */

import { sentence } from '../eventTypes/productFacts.js';
import type { Catalogue } from './catalogue.js';
import type { ProductPhraseArgs } from './texts.js';

const priceWord = (a: ProductPhraseArgs) => `${a.priceFrom ? 'ab ' : ''}${a.price}`;
const off = (a: ProductPhraseArgs) => `${a.upTo ? 'bis zu ' : ''}${a.off} Rabatt`;
const by = (a: ProductPhraseArgs) => (a.vendor ? ` von ${a.vendor}` : '');
const plural = (n: string, one: string, many: string) => (n === '1' ? one : many);

const CTA = {
  friendly: 'Den Link findest du in der Bio.',
  playful: 'Link in der Bio, los, los!',
  refined: 'Entdecken Sie es über den Link in unserer Bio.',
  professional: 'Jetzt über den Link in unserer Bio erhältlich.',
  minimal: 'Link in der Bio.',
  bold: 'Link in der Bio. Los.',
} as const;

export const de: Catalogue = {
  language: 'de',
  common: {
    cta: CTA,
    genericKind: 'Stück',
    unnamedProduct: (id) => (id ? `Produkt ${id}` : 'das Produkt'),
    unapplied: {
      heading: 'Nicht angewendete Einstellungen',
      language: (requested, used) =>
        `Sprache: ${requested} gibt es in den Offline-Vorlagen nicht, daher ist dieser Text auf ${used}.`,
      tone: (requested, used, available) =>
        `Ton: „${requested}“ gehört nicht zu den Offline-Tönen (${available}), daher wurde der Ton ${used} verwendet.`,
      llm: 'Verbinde ein Sprachmodell (LOOKOUT_LLM_BASE_URL und LOOKOUT_LLM_MODEL), um in jeder Sprache und jedem Ton zu schreiben.',
    },
  },

  productCreated: {
    title: (a) => `Launch-Inhalte für ${a.title}`,
    headings: {
      hooks: 'TikTok-Hooks',
      caption: 'Bildunterschrift',
      copy: 'Produkttext',
      plan: 'Posting-Plan',
      emailSubjects: 'E-Mail-Betreffzeilen',
    },
    hooks: {
      friendly: (a) => [
        `Du hast gerade dein neues Lieblingsstück gefunden: ${a.title}.`,
        a.off
          ? `${a.title} gibt es gerade mit ${off(a)}. Darum lohnt es sich.`
          : `3 Gründe, warum ${a.title} in deinen Warenkorb gehört.`,
        a.vendor
          ? `Gemacht von ${a.vendor}, geliebt von uns: das ist ${a.title}.`
          : `Das ist ${a.title}, unsere Neuheit.`,
      ],
      playful: (a) => [
        `Plot-Twist: Dein nächstes Lieblingsstück ist da. Sag hallo zu ${a.title}!`,
        a.off ? `${off(a)}?! ${a.title} sagt: Gönn dir.` : `Achtung: ${a.title} kann Komplimente auslösen.`,
        `Sag mir, dass du ${a.title} brauchst, ohne mir zu sagen, dass du ${a.title} brauchst.`,
      ],
      refined: (a) => [
        `${a.title}: gemacht, um zu bleiben.`,
        a.off && a.compareAt
          ? `${a.title}, jetzt ${priceWord(a)} statt ${a.compareAt}.`
          : `${a.title}, aus der Nähe betrachtet.`,
        `Die Details von ${a.title}.`,
      ],
      professional: (a) => [
        `Jetzt erhältlich: ${a.title}${by(a)}.`,
        a.off
          ? `${a.title}, jetzt ${priceWord(a)} (${off(a)}).`
          : a.price
            ? `${a.title}: durchdachtes Design, ${priceWord(a)}.`
            : `${a.title}: Details, auf die es ankommt.`,
        `Drei Details, die ${a.title} auszeichnen.`,
      ],
      minimal: (a) => [
        `${a.title}.`,
        a.price ? `${a.title}. ${priceWord(a)}.` : `${a.title}. Jetzt im Shop.`,
        `Neu: ${a.title}.`,
      ],
      bold: (a) => [
        `Hör auf zu scrollen. ${a.title} ist da.`,
        a.off
          ? `${a.title} mit ${off(a)}. Keine Ausreden.`
          : a.price
            ? `${a.title}. ${priceWord(a)}. Jeden Cent wert.`
            : `${a.title}. Nichts kommt da ran.`,
        `Das einzige Stück, das du diese Saison brauchst: ${a.title}.`,
      ],
    },
    caption: {
      friendly: (a) => `${a.title} ist da${a.off ? `, und zwar mit ${off(a)}` : ''}!`,
      playful: (a) => `Neuheiten-Alarm: ${a.title}${a.off ? ` (${off(a)}, gern geschehen)` : ''}!`,
      refined: (a) => `${a.title}${a.price ? `, ${priceWord(a)}` : ''}.`,
      professional: (a) => `Neu: ${a.title}${a.price ? `, ${priceWord(a)}` : ''}${a.off ? ` (${off(a)})` : ''}.`,
      minimal: (a) => `${a.title}${a.price ? `. ${priceWord(a)}` : ''}.`,
      bold: (a) => `${a.title}. Jetzt erhältlich${a.off ? `. ${off(a)}` : ''}.`,
    },
    copy: {
      friendly: (a, length) =>
        [
          `Das ist ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Jetzt ${priceWord(a)} statt ${a.compareAt}: Du sparst ${a.upTo ? 'bis zu ' : ''}${a.off}.`
            : a.price
              ? `Deins für ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Zur Auswahl: ${a.options}.` : '',
          length !== 'short' ? 'Wir glauben, du wirst es lieben.' : '',
        ]
          .filter(Boolean)
          .join(' '),
      playful: (a, length) =>
        [
          `Das ist ${a.title}, deine neue Obsession.`,
          a.off && a.compareAt
            ? `Vorher: ${a.compareAt}. Jetzt: ${priceWord(a)}. Mathe war noch nie so schön.`
            : a.price
              ? `Deins für ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Such dir deinen Favoriten aus: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      refined: (a, length) =>
        [
          `${a.title}${a.vendor ? `, von ${a.vendor}` : ''}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt
            ? `Jetzt ${priceWord(a)}, zuvor ${a.compareAt}.`
            : a.price
              ? `${a.priceFrom ? 'Ab' : 'Zum Preis von'} ${a.price}.`
              : '',
          length !== 'short' && a.options ? `Erhältlich in ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      professional: (a, length) =>
        [
          `Wir stellen vor: ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Jetzt ${priceWord(a)} statt ${a.compareAt} (${off(a)}).`
            : a.price
              ? `Erhältlich ${a.priceFrom ? 'ab' : 'für'} ${a.price}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Größen und Varianten: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      minimal: (a, length) =>
        [
          `${a.title}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt ? `${priceWord(a)} (statt ${a.compareAt}).` : a.price ? `${priceWord(a)}.` : '',
          length !== 'short' && a.options ? `${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      bold: (a, length) =>
        [
          `${a.title} ist da.`,
          a.off && a.compareAt
            ? `${priceWord(a)}. Vorher ${a.compareAt}. Nicht lange überlegen.`
            : a.price
              ? `${priceWord(a)}. Punkt.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Du entscheidest: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
    },
    plan: (a) => [
      `Tag 1: Poste Hook 1 als kurzes Video, das ${a.title} im Einsatz zeigt.`,
      `Tag 2: Poste Hook 2 mit dem Preis${a.off ? ' und dem Rabatt' : ''} im Bild.`,
      'Tag 3: Poste Hook 3 und beantworte den häufigsten Kommentar mit einem Antwortvideo.',
      'Tag 5: Pinne das stärkste Video an und nutze es erneut als Spark Ad.',
    ],
    emailSubjects: (a) => [
      `Neu: ${a.title}`,
      a.off ? `${a.title}, jetzt mit ${off(a)}` : `${a.title} ist da`,
      `${a.title}, aus der Nähe`,
    ],
  },

  productUpdated: {
    title: (kind, a) =>
      ({
        priceDrop: `Preissenkung bei ${a.title}: sag es deiner Community`,
        priceRise: `${a.title} kostet jetzt mehr: aktualisiere den Text`,
        backInStock: `${a.title} ist wieder auf Lager: kündige es an`,
        soldOut: `${a.title} ist ausverkauft: stell auf eine Warteliste um`,
        stockChange: `Bestand von ${a.title} geändert`,
        published: `${a.title} ist online: Zeit für Werbung`,
        unpublished: `${a.title} ist nicht mehr aktiv: pausiere die Werbung`,
        details: `${a.title} wurde geändert: frische den Text auf`,
      })[kind],
    field: {
      title: 'Titel',
      price: 'Preis',
      compareAt: 'Vergleichspreis',
      discount: 'Rabatt',
      status: 'Status',
      tags: 'Tags',
      productType: 'Produkttyp',
      vendor: 'Marke',
      description: 'Beschreibung',
      inventory: 'Bestand',
      variants: 'Varianten',
    },
    headings: { changes: 'Was sich geändert hat', notable: 'Aktueller Stand', copy: 'Text' },
    comparedWith: (basis, when, updates) =>
      basis === 'burst'
        ? `${updates} schnelle Änderungen seit ${when}: die erste im Vergleich zur letzten.`
        : `Verglichen mit der Version, die Lookout am ${when} gespeichert hat${updates > 1 ? ` (${updates} Updates seitdem)` : ''}.`,
    firstSeen: (title) =>
      `Das ist die erste Version von ${title}, die Lookout sieht: Es gibt noch nichts zu vergleichen.`,
    descriptionChanged: 'neu geschrieben',
    copy: (kind, tone, a) => {
      const restrained = tone === 'refined' || tone === 'professional' || tone === 'minimal';
      const cta = CTA[tone];
      switch (kind) {
        case 'priceDrop':
          return restrained
            ? `${a.title} kostet jetzt ${priceWord(a)}${a.compareAt ? `, zuvor ${a.compareAt}` : ''}. ${cta}`
            : `Preissenkung: ${a.title} kostet jetzt ${priceWord(a)}${a.off ? ` (${off(a)})` : ''}. ${cta}`;
        case 'priceRise':
          return `${a.title}, jetzt ${priceWord(a)}.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
        case 'backInStock':
          return `${a.title} ist wieder auf Lager${a.inventory ? ` (${a.inventory} verfügbar)` : ''}. ${cta}`;
        case 'soldOut':
          return `${a.title} ist ausverkauft. Trag dich in die Warteliste ein, um als Erstes von der Rückkehr zu erfahren.`;
        case 'stockChange':
          return `${a.title} ist auf Lager und versandbereit. ${cta}`;
        case 'published':
          return `${a.title} ist online${a.price ? ` für ${priceWord(a)}` : ''}. ${cta}`;
        case 'unpublished':
          return `Interne Notiz: ${a.title} ist nicht mehr aktiv. Pausiere Anzeigen und geplante Posts, die darauf verlinken.`;
        default:
          return `${a.title}: Neuigkeiten.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
      }
    },
  },

  productDeleted: {
    title: (name) => `Aufräumen nach dem Löschen von ${name}`,
    heading: 'Checkliste',
    unknown: (id) => `Lookout hat nie eine Version von Produkt ${id} gespeichert, daher sind Name und Seite unbekannt.`,
    steps: (name, handle) => [
      handle
        ? `Leite /products/${handle} auf eine passende Kollektion um (Onlineshop > Navigation > URL-Weiterleitungen), damit alte Links und Anzeigen nicht auf „Seite nicht gefunden“ landen.`
        : `Leite die alte Seite von ${name} auf eine passende Kollektion um, damit alte Links und Anzeigen nicht auf „Seite nicht gefunden“ landen.`,
      `Pausiere Anzeigen und geplante Posts, die auf ${name} verlinken.`,
      `Entferne ${name} aus E-Mail-Flows, Bundles und Rabattregeln.`,
      `Prüfe Kollektionen, Menüs und Blogartikel, die ${name} gezeigt haben.`,
      'Informiere Abonnenten von Wieder-verfügbar-Benachrichtigungen und Kunden mit offenen Bestellungen.',
    ],
  },

  collection: {
    title: (a, updated) =>
      updated ? `Auffrischungsplan für die Kollektion ${a.title}` : `Launch-Plan für die Kollektion ${a.title}`,
    summary: (a) =>
      `${a.title} ist ${a.published ? 'veröffentlicht' : 'noch nicht veröffentlicht'}${a.handle ? ` (/collections/${a.handle})` : ''}.`,
    headings: { plan: 'Plan', announcement: 'Ankündigung', members: 'Produkte' },
    memberBasis: {
      rule: (detail, count) =>
        `${count} ${plural(count, 'gespeichertes Produkt erfüllt', 'gespeicherte Produkte erfüllen')} die Regel der Kollektion (${detail}):`,
      tag: (detail, count) =>
        `${count} ${plural(count, 'gespeichertes Produkt hat', 'gespeicherte Produkte haben')} den Tag „${detail}“:`,
      recent: (_detail, count) =>
        `Der Webhook der Kollektion nennt keine Produkte; diese ${count} wurden kurz davor angelegt. Prüfe, ob sie dazugehören:`,
      admin: (_detail, count) =>
        `${count} ${plural(count, 'Produkt', 'Produkte')} in der Kollektion (Shopify Admin API):`,
    },
    noMembers: (a) =>
      `Lookout hat noch keine Produkte für ${a.title} gesehen: Füge Produkte hinzu, bevor du sie ankündigst, oder gib ihnen den Tag „${a.handle ?? a.title}“.`,
    steps: {
      announce: (a) => `Poste die Ankündigung unten, pinne sie an und setz ${a.title} ins Banner der Startseite.`,
      stories: (a) =>
        `Stories: jeden Tag ein Produkt aus ${a.title}${a.highlights ? `, angefangen mit ${a.highlights}` : ''}.`,
      socialProof: (a) => `Teile die ersten Bewertungen oder Kundenfotos aus ${a.title}.`,
      recap: (a) =>
        `Verschicke per E-Mail einen Rückblick auf die Bestseller von ${a.title}; spiele Besuchern ohne Kauf Retargeting aus.`,
      review: (a) =>
        `Prüfe Sitzungen, Conversion und Bestseller von ${a.title}; entscheide, was nachbestellt oder reduziert wird.`,
      prepare: (a) =>
        `Prüfe, dass jedes Produkt in ${a.title} Fotos, eine Beschreibung und einen Preis hat; setz dann den SEO-Titel.`,
      tease: (a) => `Teaser für ${a.title}: ein kurzes Video eines Stücks mit „bald da“ und dem Datum.`,
      earlyAccess: (a) =>
        `Gib Abonnenten frühen Zugang zu ${a.title}${a.highlights ? ` mit einer Vorschau auf ${a.highlights}` : ''}.`,
      publish: (a) => `Veröffentliche ${a.title}, poste die Ankündigung unten und pinne sie an.`,
      reorder: (a) => `Sortiere ${a.title} neu: Bestseller und Neuheiten zuerst; aktualisiere das Banner.`,
      whatsNew: (a) => `Poste, was neu ist in ${a.title}${a.highlights ? `: ${a.highlights}` : ''}.`,
      emailViewers: (a) => `Schreib Abonnenten, die ${a.title} angesehen haben, eine E-Mail zum Update.`,
    },
    announcement: {
      friendly: (a, updated) =>
        updated
          ? `Neue Lieblingsstücke in ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Den Link findest du in der Bio.`
          : `Unsere neue Kollektion ${a.title} ist da${a.highlights ? `, mit ${a.highlights}${a.more ? ' und mehr' : ''}` : ''}. Wir glauben, sie wird dir gefallen. Den Link findest du in der Bio.`,
      playful: (a, updated) =>
        updated
          ? `${a.title} hat ein Glow-up bekommen${a.highlights ? `: sag hallo zu ${a.highlights}` : ''}! Link in der Bio.`
          : `Neuheiten-Alarm: ${a.title} ist gelandet${a.highlights ? ` mit ${a.highlights}` : ''}! Link in der Bio, los, los!`,
      refined: (a, updated) =>
        updated
          ? `Neue Stücke ergänzen ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Entdecken Sie sie über den Link in unserer Bio.`
          : `Wir präsentieren ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Entdecken Sie die Kollektion über den Link in unserer Bio.`,
      professional: (a, updated) =>
        updated
          ? `${a.title} wurde erweitert${a.highlights ? ` um ${a.highlights}` : ''}. Jetzt über den Link in unserer Bio.`
          : `Wir stellen vor: ${a.title}, unsere neue Kollektion${a.highlights ? ` mit ${a.highlights}` : ''}. Jetzt über den Link in unserer Bio erhältlich.`,
      minimal: (a, updated) =>
        updated ? `${a.title}: neue Stücke. Link in der Bio.` : `${a.title}. Jetzt online. Link in der Bio.`,
      bold: (a, updated) =>
        updated
          ? `${a.title} ist gerade besser geworden. Link in der Bio. Los.`
          : `${a.title}. Die neue Kollektion. Jetzt da. Link in der Bio.`,
    },
  },

  inventoryLow: {
    title: (a) =>
      a.soldOut
        ? `${a.name} ist ausverkauft: sofort nachbestellen`
        : a.cover
          ? `${a.name} nachbestellen: Bestand reicht noch etwa ${a.cover} Tage`
          : `${a.name} nachbestellen: noch ${a.available} übrig`,
    headings: { stock: 'Bestand', sales: 'Verkäufe', reorder: 'Nachbestellung', meanwhile: 'In der Zwischenzeit' },
    available: (a) =>
      a.soldOut
        ? `${a.name} ist ausverkauft: 0 verfügbar.`
        : `${a.available} ${plural(a.available, 'Einheit', 'Einheiten')} von ${a.name} verfügbar.`,
    previousAlert: (a) =>
      `Lookout hat am ${a.previousAt}${a.previousAvailable ? ` bei ${a.previousAvailable} ${plural(a.previousAvailable, 'Einheit', 'Einheiten')}` : ''} gewarnt; ${a.soldOut ? 'jetzt ist der Artikel ausverkauft' : 'der Bestand ist jetzt niedriger'}.`,
    sources: {
      stored_orders: 'laut den von Lookout gespeicherten Bestellungen',
      admin_api: 'laut der Shopify Admin API',
    },
    sales: (a) =>
      a.units
        ? `${a.units} ${plural(a.units, 'Einheit', 'Einheiten')} in den letzten ${a.days} Tagen verkauft (${a.orders} ${plural(a.orders ?? '', 'Bestellung', 'Bestellungen')}, ${a.source}): ${a.perDay} pro Tag.`
        : `Aktuelle Verkäufe: ${a.perDay} pro Tag.`,
    noSales: (a) => `Kein Verkauf von ${a.name} in den letzten ${a.days} Tagen (${a.source}).`,
    noData: (a) =>
      `Lookout hat noch keine Verkaufsdaten für ${a.name}: Verbinde die Admin API oder warte auf die ersten Bestellungen.`,
    cover: (a) =>
      `In diesem Tempo reicht der Bestand etwa ${a.cover} Tage${a.runsOutOn ? `, bis ${a.runsOutOn}` : ''}.`,
    order: (a) => `Bestelle **${a.quantity} Einheiten** von ${a.name} nach.`,
    noOrderNeeded: (a) =>
      `Noch keine Nachbestellung von ${a.name} nötig: Der Bestand deckt Lieferzeit, nächsten Zyklus und Sicherheitsbestand.`,
    formula: (a) =>
      `Rechnung: aufgerundet (${a.units} verkauft × (${a.leadTime} Lieferzeit + ${a.cycle} Zyklus + ${a.safety} Sicherheit) ÷ ${a.days} Tage) − ${a.available} auf Lager = ${a.target} − ${a.available} = ${a.quantity}.`,
    reorderPoint: (a) =>
      `Meldebestand: ${a.reorderPoint} Einheiten (Verkäufe während der Lieferzeit plus Sicherheitstage); ${a.belowReorderPoint ? 'du liegst darunter, also jetzt bestellen.' : 'du liegst noch darüber.'}`,
    assumptions: (a) =>
      `Annahmen: ${a.leadTime} Tage Lieferzeit, ${a.safety} Tage Sicherheitsbestand, jede Bestellung deckt ${a.cycle} Tage Verkäufe.`,
    zeroSalesAdvice: (a) =>
      `Ohne aktuelle Verkäufe gehen die ${a.available} auf Lager nicht zur Neige: Bestelle nur nach, wenn du Nachfrage erwartest (eine Aktion, eine Saison).`,
    meanwhile: {
      friendly: (a) =>
        a.soldOut
          ? `Poste einen freundlichen Hinweis: „${a.name} ist ausverkauft, bald wieder da.“`
          : `Gib einen freundlichen Hinweis: „Nur noch ${a.available} von ${a.name}.“`,
      playful: (a) =>
        a.soldOut
          ? `„${a.name} hat das Gebäude verlassen (vorerst).“ Aktiviere eine Warteliste.`
          : `Mach aus Knappheit ein Spiel: „${a.name} ist fast weg. Einmal blinzeln und vorbei.“`,
      refined: (a) =>
        a.soldOut
          ? `Bieten Sie an, ${a.name} für anfragende Kunden zu reservieren.`
          : `Weisen Sie auf der Seite von ${a.name} dezent darauf hin, dass nur wenige Stücke bleiben.`,
      professional: (a) =>
        a.soldOut
          ? `Zeige „ausverkauft“ auf der Seite von ${a.name} und sammle Wieder-verfügbar-Anfragen.`
          : `Zeige einen Hinweis auf geringen Bestand auf der Seite von ${a.name}.`,
      minimal: (a) => (a.soldOut ? `Markiere ${a.name} als ausverkauft.` : `Auf der Seite: noch ${a.available}.`),
      bold: (a) =>
        a.soldOut
          ? `Sag es klar: „${a.name}: ausverkauft. Bald zurück.“`
          : `Sag es klar: „${a.name}: die letzten ${a.available}.“`,
    },
    beforeDelivery: (a) =>
      `Der Bestand ist aufgebraucht, bevor eine neue Lieferung ankommen kann (${a.leadTime} Tage Lieferzeit): Pausiere Anzeigen für ${a.name} und aktiviere Wieder-verfügbar-Benachrichtigungen.`,
    askSupplier: () => 'Frag den Lieferanten, ob ein Teil der Bestellung früher versendet werden kann.',
  },

  orderCreated: {
    title: {
      test: (a) => `Testbestellung ${a.orderName}: Checkout prüfen, keine Kundschaft anzuschreiben`,
      cancelled: (a) =>
        `Bestellung ${a.orderName} wurde storniert: ein paar Zeilen an ${a.firstName ?? 'die Kundschaft'}`,
      firstTime: (a) =>
        `Erste Bestellung von ${a.firstName ?? 'neuer Kundschaft'} (${a.orderName}): herzlich willkommen heißen`,
      repeat: (a) => `${a.firstName ?? 'Stammkundschaft'} hat wieder bestellt (${a.orderName}): bedanken`,
      plain: (a) =>
        `Nachfassen zu Bestellung ${a.orderName} (${a.topItem}${a.otherItems ? ` und ${a.otherItems} weitere` : ''})`,
    },
    headings: {
      message: (a) => `Nachricht an ${a.firstName ?? 'die Kundschaft'}`,
      crossSell: 'Cross-Selling',
      checks: 'Prüfungen',
      customer: 'Kundschaft',
    },
    message: {
      firstTime: {
        friendly: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\nherzlich willkommen und danke für deine erste Bestellung (${a.orderName})! Dein ${a.topItem} wird gerade liebevoll verpackt. Fragen? Antworte einfach auf diese Nachricht.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ''}!\n\nErste Bestellung, und dann gleich ${a.topItem}. Guter Geschmack! Bestellung ${a.orderName} ist in Arbeit. Fragen? Einfach antworten.`,
        refined: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nwir danken Ihnen für Ihre erste Bestellung, ${a.orderName}. Ihr ${a.topItem} wird mit größter Sorgfalt vorbereitet. Bei Wünschen antworten Sie einfach auf diese Nachricht.`,
        professional: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nvielen Dank für Ihre erste Bestellung (${a.orderName}). Wir bereiten Ihren Artikel ${a.topItem} vor und melden uns, sobald er versendet ist. Antworten Sie gern auf diese Nachricht, wenn wir helfen können.`,
        minimal: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\ndanke für deine erste Bestellung, ${a.orderName}.`,
        bold: (a) =>
          `${a.firstName ?? 'Hallo'},\n\nwillkommen an Bord. Bestellung ${a.orderName} bestätigt: dein ${a.topItem} geht bald raus.`,
      },
      repeat: {
        friendly: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\nschön, dich wiederzusehen! Danke für Bestellung ${a.orderName}: Dein ${a.topItem} wird liebevoll verpackt. Fragen? Antworte einfach.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ''}, du bist zurück!\n\nBestellung ${a.orderName} (hallo, ${a.topItem}) ist in Arbeit. Wir freuen uns vielleicht ein kleines bisschen zu sehr.`,
        refined: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nes ist uns eine Freude, Sie wieder begrüßen zu dürfen. Ihre Bestellung ${a.orderName} wird sorgfältig vorbereitet. Bei Wünschen antworten Sie einfach auf diese Nachricht.`,
        professional: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nvielen Dank für Ihre erneute Bestellung (${a.orderName}). Wir bereiten Ihren Artikel ${a.topItem} vor und bestätigen den Versand.`,
        minimal: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\ndanke für deine erneute Bestellung: ${a.orderName} geht bald raus.`,
        bold: (a) =>
          `${a.firstName ?? 'Hallo'},\n\nzurück für mehr. Respekt. Bestellung ${a.orderName} geht bald raus.`,
      },
      cancelled: {
        friendly: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\nwir haben gesehen, dass Bestellung ${a.orderName} storniert wurde. Wenn etwas nicht gepasst hat, antworte einfach und sag es uns: Wir helfen gern. ${a.topItem} wartet auf dich, wann immer du bereit bist.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ''},\n\nBestellung ${a.orderName} wurde storniert, und ${a.topItem} ist ein bisschen traurig. Meinung geändert? Etwas schiefgelaufen? Einfach antworten.`,
        refined: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nIhre Bestellung ${a.orderName} wurde storniert. Sollte etwas nicht Ihren Erwartungen entsprochen haben, wären wir für eine kurze Nachricht dankbar.`,
        professional: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nwir haben die Stornierung der Bestellung ${a.orderName} bearbeitet. Wenn etwas nicht Ihren Erwartungen entsprach, antworten Sie bitte: Ihr Feedback hilft uns, besser zu werden.`,
        minimal: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\nBestellung ${a.orderName} ist storniert. Wenn wir helfen können, antworte hier.`,
        bold: (a) =>
          `${a.firstName ?? 'Hallo'},\n\nBestellung ${a.orderName} wurde storniert. Wenn wir Mist gebaut haben, sag es uns direkt.`,
      },
      plain: {
        friendly: (a) =>
          `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\nvielen Dank für deine Bestellung ${a.orderName}! Dein ${a.topItem} wird liebevoll verpackt. Fragen? Antworte einfach auf diese Nachricht.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ''}!\n\nGute Nachrichten für ${a.topItem}: Es kommt mit zu dir! Bestellung ${a.orderName} ist in Arbeit.`,
        refined: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nvielen Dank für Ihre Bestellung, ${a.orderName}. Ihr ${a.topItem} wird sorgfältig vorbereitet.`,
        professional: (a) =>
          `Guten Tag${a.firstName ? ` ${a.firstName}` : ''},\n\nvielen Dank für Ihre Bestellung ${a.orderName}. Wir bereiten Ihren Artikel ${a.topItem} vor und melden uns, sobald er versendet ist.`,
        minimal: (a) => `Hallo${a.firstName ? ` ${a.firstName}` : ''},\n\ndanke für Bestellung ${a.orderName}.`,
        bold: (a) =>
          `${a.firstName ?? 'Hallo'},\n\nBestellung ${a.orderName} bestätigt. Dein ${a.topItem} geht bald raus.`,
      },
    },
    ps: (a) =>
      a.pairingBoughtTogether
        ? `PS: Wer ${a.topItem} kauft, nimmt oft auch ${a.pairing} dazu.`
        : `PS: ${a.pairing} passt wunderbar zu deinem ${a.topItem}.`,
    signOff: (a) => a.brand ?? 'Dein Team',
    customerNote: {
      firstTime: (a) =>
        `Erste Bestellung von ${a.firstName ?? 'dieser Kundschaft'}: Ein herzliches Willkommen macht eine zweite Bestellung wahrscheinlicher.`,
      repeat: (a) =>
        `Stammkundschaft: ${a.previousOrders} ${plural(a.previousOrders ?? '', 'frühere Bestellung', 'frühere Bestellungen')}${a.lastOrderOn ? `, die letzte am ${a.lastOrderOn}` : ''}.`,
      unknown: 'Gastbestellung: Lookout kann nicht erkennen, ob diese Kundschaft schon einmal bestellt hat.',
    },
    testNote: (a, cancelled) =>
      `${a.orderName} ist eine Testbestellung${cancelled ? ' (und wurde storniert)' : ''}: Es gibt keine Kundschaft, der man schreiben müsste.`,
    testSteps: (a) => [
      `Prüfe, ob die Bestellbestätigung für ${a.orderName} angekommen ist und gut aussieht.`,
      'Prüfe Steuern, Versandkosten und den Rabattcode der Bestellung.',
      'Prüfe, ob der Bestand reserviert (und bei Stornierung wieder freigegeben) wurde.',
      `Archiviere ${a.orderName}, damit sie nicht in deinen Verkaufsberichten auftaucht.`,
      'Schalte den Zahlungsanbieter vor dem Launch aus dem Testmodus.',
    ],
    cancelledNote: (a) =>
      `${a.orderName} wurde storniert${a.total ? ` (${a.total})` : ''}. Die Nachricht unten fragt nach dem Grund, ohne etwas zur Lieferung zu versprechen.`,
    crossSellReason: {
      boughtTogether: (item, orders) =>
        `zusammen mit ${item} in ${orders} ${plural(orders, 'Bestellung', 'Bestellungen')} gekauft`,
      type: (detail) => `gleicher Produkttyp (${detail})`,
      vendor: (detail) => `ebenfalls von ${detail}`,
      tag: (detail) => `teilt den Tag „${detail}“`,
    },
    noCrossSell:
      'Noch kein Cross-Selling: Keine andere Bestellung und kein Katalogprodukt hängt mit diesen Artikeln zusammen.',
  },

  batch: {
    title: (count, first, updated) =>
      updated ? `${count} Produkte aktualisiert, darunter ${first}` : `${count} neue Produkte: Fang mit ${first} an`,
    intro: (count, updated) =>
      updated
        ? `${count} Produkte haben sich auf einmal geändert (ein Import oder eine Massenbearbeitung). Die teuersten stehen oben.`
        : `${count} Produkte sind auf einmal angekommen (ein Import oder eine Massenbearbeitung). Bewirb lieber einige wenige gut als alle auf einmal.`,
    headings: {
      top: 'Diese zuerst zeigen',
      byType: 'Nach Produkttyp',
      plan: 'Plan',
      product: 'Produkt',
      price: 'Preis',
      discount: 'Rabatt',
      included: 'Enthalten',
    },
    noType: 'Ohne Produkttyp',
    plan: (top, largest) => [
      `Diese Woche: Poste TikTok-Hooks für ${top}.`,
      ...(largest
        ? [
            `Fasse den größten Produkttyp (${largest.type}, ${largest.count} Produkte) in einer Kollektion zusammen und kündige sie an.`,
          ]
        : []),
      'Plane den Rest mit ein oder zwei Produkten pro Tag statt einem großen Post.',
      'Prüfe vor der Werbung, dass jedes Produkt ein Bild, eine Beschreibung und einen Preis hat.',
    ],
    genericTitle: (count, first, more) =>
      `${count} Änderungen${first ? `: ${first}${more ? ` und ${more} weitere` : ''}` : ''}`,
    genericIntro: (count) =>
      `${count} Ereignisse dieser Art kamen zusammen an und werden hier zusammengefasst statt jeweils einzeln vorgeschlagen.`,
  },

  tableDocs: {
    title: {
      table: (q) => `Dokumentiere die neue Tabelle ${q}`,
      added: (q, column) => `Dokumentiere die neue Spalte ${q}.${column}`,
      renamed: (q, from, to) => `Spalte umbenannt: ${q}.${from} → ${to}`,
      retyped: (q, column, from, to) => `Spaltentyp geändert: ${q}.${column} (${from} → ${to})`,
    },
    intro: {
      renamed: (from, to) => `${from} heißt jetzt ${to}.`,
      retyped: (column, from, to) => `${column} hat den Typ von ${from} zu ${to} gewechselt.`,
      nullability: (column, nowNotNull) => `${column} ist jetzt ${nowNotNull ? 'NOT NULL' : 'nullable'}.`,
    },
    headings: {
      columns: 'Spalten',
      constraints: 'Schlüssel und Constraints',
      indexes: 'Indizes',
      security: 'Row Level Security',
      advice: 'Empfehlungen',
      comments: 'Vorgeschlagene Kommentare',
      followUps: 'Nächste Schritte',
    },
    columnHeader: ['Spalte', 'Typ', 'Nullable', 'Standardwert', 'Schlüssel'],
    yes: 'ja',
    no: 'nein',
    key: { primary: 'PK', unique: 'eindeutig', references: (target) => `FK → ${target}` },
    primaryKey: (columns) => `Primärschlüssel: ${columns}`,
    noPrimaryKey: 'Kein Primärschlüssel.',
    foreignKey: (name, columns, target, actions) =>
      `Fremdschlüssel${name ? ` ${name}` : ''}: ${columns} → ${target}${actions ? `, ${actions}` : ''}`,
    unique: (columns) => `Eindeutig: ${columns}`,
    check: (name, definition) => `Check ${name}: ${definition}`,
    index: (name, definition) => `${name}: ${definition}`,
    noIndexes: 'Keine Indizes.',
    indexesUnknown: 'Das Ereignis nannte keine Indizes; der nächste Schema-Snapshot wird sie enthalten.',
    rls: {
      on: (q) => `Aktiviert für ${q}: Über die API sind nur Zeilen sichtbar, die deine Policies erlauben.`,
      off: (q) => `Deaktiviert für ${q}.`,
      unknown: (q) => `Unbekannt für ${q}.`,
    },
    advice: {
      rlsOff: (q, statement) =>
        `Row Level Security ist für ${q} deaktiviert, eine Tabelle, die die Supabase-API bereitstellt: Jeder mit dem anon-Schlüssel kann alle Zeilen lesen und ändern. Führe ${statement} aus und lege Policies für den gewünschten Zugriff an.`,
      fkWithoutIndex: (columns, target, statement) =>
        `Der Fremdschlüssel auf ${columns} (nach ${target}) hat keinen Index: Joins sowie jedes Löschen oder Ändern in der referenzierten Tabelle durchsuchen diese ganze Tabelle. Führe ${statement} aus.`,
      noPrimaryKey: (q) =>
        `${q} hat keinen Primärschlüssel: Lege einen an, sonst funktionieren Zeilen-Updates über die API und logische Replikation nicht.`,
      notNullWithoutDefault: (column) =>
        `${column} ist NOT NULL ohne Standardwert: Inserts, die sie nicht setzen, schlagen ab jetzt fehl. Passe den Code an, der Zeilen einfügt, oder lege einen Standardwert fest.`,
      becameNotNull: (column) =>
        `${column} ist jetzt NOT NULL ohne Standardwert: Inserts, die sie nicht setzen, schlagen ab jetzt fehl. Passe den Code an, der Zeilen einfügt, oder lege einen Standardwert fest.`,
      renamed: (from) => [
        'Views, Indizes und RLS-Policies folgen der Umbenennung (PostgreSQL verknüpft sie mit der Spalte, nicht mit ihrem Namen).',
        `Code, SQL-Funktionen und API-Abfragen, die noch ${from} verwenden, brechen: Such danach und passe sie an.`,
      ],
      retyped: (column, from, to, rewrite) => [
        `Code, der ${column} liest, erhält jetzt Werte vom Typ ${to} statt ${from}: Prüfe Parsing und Validierung.`,
        rewrite
          ? `${from} → ${to} schreibt die ganze Tabelle unter einer exklusiven Sperre neu: Bei großen Tabellen solche Änderungen in ruhigen Zeiten ausführen.`
          : `${from} → ${to} braucht kein Neuschreiben der Tabelle: Bestehende Zeilen blieben unverändert.`,
      ],
      bigintInJs: (column) =>
        `bigint-Werte über Number.MAX_SAFE_INTEGER verlieren in JavaScript an Genauigkeit: Lies ${column} als Zeichenkette, falls sie so groß werden kann.`,
    },
    followUps: {
      types: (command) => `Client-Typen neu erzeugen: ${command}.`,
      migration: (create, push) =>
        `Halte die Kommentare in einer Migration fest: ${create}, SQL einfügen, dann ${push}.`,
    },
    noColumns: 'Für diese Tabelle lag noch keine Spaltenliste vor.',
    describe: {
      references: (target) => `Verweist auf ${target}.`,
      primaryKey: (table) => `Primärschlüssel von ${table}.`,
      relatedId: (words) => `Kennung des zugehörigen Eintrags (${words}).`,
      createdAt: 'Zeitpunkt, zu dem die Zeile angelegt wurde.',
      updatedAt: 'Zeitpunkt der letzten Änderung der Zeile.',
      deletedAt: 'Zeitpunkt des Soft-Deletes; null, solange die Zeile aktiv ist.',
      flag: (entity, words) => `Wahr, wenn ${entity}: ${words}.`,
      email: 'E-Mail-Adresse.',
      status: (entity) => `Lebenszyklus-Status (${entity}).`,
      money: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}, als Geldbetrag.`,
      count: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}: eine Anzahl.`,
      when: (entity, words) => `Zeitpunkt: ${words} (${entity}).`,
      generic: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)} (${entity}).`,
      table: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)}: eine Zeile pro ${entity}.`,
    },
  },

  schemaChangelog: {
    title: (subject, verb) =>
      `Changelog-Eintrag: ${verb === 'dropTable' ? 'Tabelle gelöscht ' : verb === 'dropColumn' ? 'Spalte gelöscht in ' : ''}${subject}`,
    databaseSchema: 'das Datenbankschema',
    andMore: (first, more) => `${first} und ${more} weitere`,
    unreleased: 'Unveröffentlicht',
    categories: { added: 'Hinzugefügt', changed: 'Geändert', removed: 'Entfernt' },
    headings: { changelog: 'Changelog', followUps: 'Nächste Schritte' },
    entry: {
      tableRenamed: (before, after) => `Tabelle ${before} umbenannt in ${after}`,
      tableComment: (table, comment) =>
        `Kommentar der Tabelle ${table} ${comment ? `gesetzt auf „${comment}“` : 'entfernt'}`,
      rlsEnabled: (table) => `Row Level Security für ${table} aktiviert`,
      rlsDisabled: (table) =>
        `Row Level Security für ${table} deaktiviert: Jede Rolle mit Tabellenrechten (anon eingeschlossen) kann alle Zeilen lesen und ändern`,
      nullability: (column, notNull) => `Spalte ${column} ist jetzt ${notNull ? 'NOT NULL' : 'nullable'}`,
      default: (column, before, after) => `Standardwert der Spalte ${column}: ${before} → ${after}`,
      none: 'keiner',
      columnComment: (column) => `Kommentar der Spalte ${column} geändert`,
      constraint: (name, table, detail) => `Constraint ${name}${table ? ` auf ${table}` : ''}${detail}`,
      constraintRenamedFrom: (before) => ` (umbenannt von ${before})`,
      constraintWas: (before) => ` (war ${before})`,
      columnRenamed: (before, after) => `Spalte ${before} umbenannt in ${after}`,
      columnRetyped: (column, before, after) => `Typ der Spalte ${column}: ${before} → ${after}`,
      column: (column, type) => `Spalte ${column}${type ? ` (${type})` : ''}`,
      table: (table, columns) => `Tabelle ${table}${columns ? ` (${columns} Spalten)` : ''}`,
      ddl: (tag, type, object) => `${tag}${type ? ` (${type})` : ''}${object ? ` ${object}` : ''}`,
      noDetails: 'Schema geändert (keine Details im Ereignis)',
    },
    followUps: {
      reEnableRls: (table, statement) =>
        `Aktiviere Row Level Security wieder, außer ${table} soll öffentlich sein: ${statement}`,
      searchRemoved:
        'Durchsuche Code, Views, Funktionen und RLS-Policies vor dem nächsten Deployment nach dem Entfernten.',
      types: (command) => `Client-Typen neu erzeugen: ${command}.`,
      captureMigration: (command) =>
        `Falls die Änderung im Dashboard gemacht wurde, halte sie als Migration fest: ${command}.`,
    },
  },

  migrationPending: {
    title: {
      missing: (version, dir) => `Migration ${version} ist angewendet, fehlt aber in ${dir}`,
      outOfOrder: (subject) => `Migration außer der Reihe anwenden: ${subject}`,
      pending: (subject, one) => `${one ? 'Ausstehende Migration ' : ''}${subject} anwenden`,
    },
    subject: {
      none: 'ausstehende Migrationen',
      many: (count, first, last) => `${count} ausstehende Migrationen (${first} … ${last})`,
    },
    headings: {
      pending: 'Ausstehend',
      missing: 'Lokal fehlend',
      why: 'Warum',
      resync: 'Historie wieder abgleichen',
      applyLinked: 'Anwenden (verknüpftes Projekt)',
      applyLocal: 'Anwenden (lokale Datenbank)',
    },
    file: (path, version) => `${path}${version ? ` (Version ${version})` : ''}`,
    version: (version) => `Version ${version}`,
    noFiles: 'Das Ereignis nannte keine Dateinamen; führe den ersten Befehl unten aus, um sie zu sehen.',
    why: {
      listRemote: () => 'Zeigt lokale und entfernte Versionen nebeneinander.',
      listLocal: () => 'Vergleicht lokale Dateien mit angewendeten Migrationen.',
      fetch: () => 'Lädt angewendete Migrationen herunter, die im lokalen Ordner fehlen (committe sie).',
      repair: () =>
        'Nur wenn die Migration absichtlich entfernt wurde: markiert sie in der entfernten Historie als nicht angewendet.',
      pushDryRunAll: (latest) =>
        `Zeigt den Ablauf vorab: Diese Datei ist älter als die zuletzt angewendete Version${latest ? ` (${latest})` : ''}, ein einfacher Push überspringt sie.`,
      pushAll: () => 'Wendet sie an; prüfe vorher, dass sie nicht vor den neueren laufen muss.',
      up: () => 'Wendet die ausstehenden auf die lokale Datenbank an.',
      pushDryRun: () => 'Zeigt, was laufen würde, ohne es anzuwenden.',
      push: () => 'Wendet sie auf das verknüpfte Projekt an.',
    },
  },

  calendar: {
    launch: {
      title: (name, summary, when) => `Countdown${name ? ` für ${name}` : ''}: ${summary}${when ? `, ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` beginnt ${when}` : ''}${location ? ` (${location})` : ''}.`,
      product: (a) =>
        `${a.name}${a.price ? `: ${a.price}${a.compareAt ? ` (statt ${a.compareAt}, ${a.off} Rabatt)` : ''}` : ''}${a.inventory ? `, ${a.inventory} auf Lager` : ''}${a.notActive ? `. In Shopify ist der Status ${a.status}: vor dem Launch veröffentlichen` : ''}.`,
      heading: 'Countdown',
      steps: {
        teaser: (a) => `Teaser-Post für ${a.name}: „noch 3 Tage“.`,
        reminder: (a) => `Erinnerung per E-Mail und SMS an Abonnenten mit frühem Zugang zu ${a.name}.`,
        goLive: (a) =>
          `Go-live-Check: ${a.name} ${a.notActive ? 'veröffentlicht' : 'aktiv'}, ${a.inventory ? `${a.inventory} auf Lager` : 'Bestand gepflegt'}, ${a.price ? `Preis ${a.price}` : 'Preis gesetzt'}, Rabattcodes getestet, Links funktionieren.`,
        launch: (a) => `Launch-Post und Stories für ${a.name}; Post anpinnen.`,
        followUp: (a) => `Bedanke dich bei den ersten Käufern und teile erste Reaktionen auf ${a.name}.`,
      },
    },
    meeting: {
      title: (summary, when) => `Vorbereitung für „${summary}“${when ? `, ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` beginnt ${when}` : ''}${location ? ` (${location})` : ''}.`,
      headings: { agenda: 'Agenda', recap: 'Seit dem letzten Mal', questions: 'Fragen für das Meeting' },
      sinceLastMeeting: (date) => `Seit dem letzten Meeting am ${date}:`,
      lastDays: (days) => `In den letzten ${days} Tagen:`,
      orders: (count, units, revenue) =>
        `${count} ${plural(count, 'Bestellung', 'Bestellungen')} (${units} ${plural(units, 'Artikel', 'Artikel')}${revenue ? `, ${revenue}` : ''}).`,
      noOrders: 'Keine Bestellungen.',
      bestSellers: (list) => `Bestseller: ${list}.`,
      cancelled: (count) => `${count} ${plural(count, 'Bestellung wurde', 'Bestellungen wurden')} storniert.`,
      lowStock: (list) => `Niedriger Bestand: ${list}.`,
      stockItem: (name, available) => `${name}${available !== undefined ? ` (noch ${available})` : ''}`,
      productsCreated: (list) => `Neue Produkte: ${list}.`,
      collectionsCreated: (list) => `Neue Kollektionen: ${list}.`,
      schemaChanges: (list) => `Datenbank: ${list}.`,
      schemaChange: (kind, table, column) => {
        const t = table ?? 'das Schema';
        switch (kind) {
          case 'table.created':
            return `Tabelle ${t} angelegt`;
          case 'table.dropped':
            return `Tabelle ${t} gelöscht`;
          case 'column.added':
            return `Spalte ${column ?? '?'} zu ${t} hinzugefügt`;
          case 'column.dropped':
            return `Spalte ${column ?? '?'} aus ${t} entfernt`;
          case 'column.renamed':
            return `Spalte ${column ?? '?'} in ${t} umbenannt`;
          case 'column.retyped':
            return `Typ der Spalte ${column ?? '?'} in ${t} geändert`;
          case 'constraint.changed':
            return `Constraints von ${t} geändert`;
          default:
            return `${t} geändert`;
        }
      },
      migrations: (list) => `Noch nicht angewendete Migrationen: ${list}.`,
      quiet: 'Im Shop und in der Datenbank ist nichts passiert.',
      questions: {
        restock: (item) => `${item} nachbestellen: jetzt bestellen oder ausverkaufen lassen?`,
        cancelled: (count) =>
          `${count} ${plural(count, 'stornierte Bestellung', 'stornierte Bestellungen')}: was ist schiefgelaufen?`,
        schema: (table) => `Wer prüft die Änderung an ${table}, und ist die App darauf angepasst?`,
        migration: (file) => `Wer wendet ${file} an, und wann?`,
        launch: (product) => `${product}: welcher Launch-Inhalt geht zuerst raus?`,
      },
    },
  },

  signedEvent: {
    title: (type) => (type ? `Webhook: ${type}` : 'Ein signierter Webhook ist eingegangen'),
    summary: (type, count) =>
      `${type ? `Der Absender meldet ${type}` : 'Ein Absender hat ein Ereignis ohne Typ gesendet'}, mit ${count} ${count === '1' ? 'Feld' : 'Feldern'}.`,
    heading: 'Was er enthält',
    more: (count) => `…und ${count} weitere`,
    empty: 'Der Inhalt enthielt keine Felder.',
  },

  minorEvents: {
    row: {
      title: (verb, table, id) =>
        `Zeile ${{ inserted: 'eingefügt in', updated: 'geändert in', deleted: 'gelöscht aus' }[verb]} ${table}${id ? ` (id ${id})` : ''}`,
      body: (verb, table, id) =>
        `Eine Zeile wurde ${{ inserted: 'eingefügt in', updated: 'geändert in', deleted: 'gelöscht aus' }[verb]} ${table}${id ? ` (id ${id})` : ''}.`,
      changed: (columns) => `Geänderte Spalten: ${columns}.`,
      advice:
        'Zeilenereignisse brauchen selten eine Aktion. Um sie nicht mehr zu erhalten, filtere diese Tabelle in deinen Einstellungen aus.',
    },
    uninstalled: {
      title: (shop) => `${shop ?? 'Ein Shop'} hat die App deinstalliert`,
      lines: [
        'Webhooks und Polling für diesen Shop enden; gespeicherte Ereignisse bleiben bis zur shop/redact-Anfrage (48 Stunden nach der Deinstallation).',
        'Falls das nicht beabsichtigt war, installiere die App im Shopify-Admin neu.',
      ],
    },
    dataRequest: {
      title: (shop, orders) =>
        `Datenanfrage einer Kundin oder eines Kunden für ${shop ?? 'deinen Shop'} (${orders} Bestellungen)`,
      intro:
        'Jemand hat seine Daten angefordert (DSGVO/CCPA). Shopify erwartet eine Antwort des Shops innerhalb von 30 Tagen.',
      steps: (orders) => [
        `Stelle zusammen, was Lookout zu den ${orders} in der Anfrage genannten Bestellungen speichert.`,
        'Schick es über deinen üblichen Support-Kanal.',
      ],
    },
    redact: {
      title: (shop, orders) => `Kundendaten löschen für ${shop ?? 'deinen Shop'} (${orders} Bestellungen)`,
      body: (orders) =>
        `Lösche die personenbezogenen Daten aus Ereignissen und Vorschlägen zu ${orders} Bestellungen innerhalb von 30 Tagen; behalte nur, was gesetzlich nötig ist.`,
    },
    shopRedact: {
      title: (shop) => `Alle Daten von ${shop ?? 'dem Shop'} löschen`,
      body: 'Der Shop hat die App vor 48 Stunden deinstalliert; Shopify verlangt, alle seine Daten zu löschen.',
    },
    inventoryUpdated: {
      title: (name, available) =>
        `Bestand von ${name} aktualisiert${available !== undefined ? `: ${available} verfügbar` : ''}`,
      level: (name, available, location) =>
        `Der Bestand von ${name} liegt jetzt bei ${available}${location ? ` am Standort ${location}` : ''}. Nichts zu tun, solange er über deiner Schwelle für niedrigen Bestand bleibt.`,
      settings:
        'Bestandseinstellungen geändert (Verfolgung, Kosten oder Herkunft). Nichts zu tun, außer der Bestand ist jetzt niedrig.',
    },
    unknown: () => 'Für diesen Ereignistyp gibt es noch keine Vorlage.',
  },
};
