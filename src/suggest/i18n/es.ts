/** Español. Tutea al cliente, salvo los tonos refined y professional (usted). */

import { sentence } from '../eventTypes/productFacts.js';
import type { Catalogue } from './catalogue.js';
import type { ProductPhraseArgs } from './texts.js';

const priceWord = (a: ProductPhraseArgs) => `${a.priceFrom ? 'desde ' : ''}${a.price}`;
const off = (a: ProductPhraseArgs) => `${a.upTo ? 'hasta un ' : 'un '}${a.off} de descuento`;
const by = (a: ProductPhraseArgs) => (a.vendor ? ` de ${a.vendor}` : '');
const plural = (n: string, one: string, many: string) => (n === '1' ? one : many);

const CTA = {
  friendly: 'Toca el enlace de la bio para conseguir el tuyo.',
  playful: '¡Enlace en la bio, corre, corre!',
  refined: 'Descúbralo en el enlace de nuestra bio.',
  professional: 'Disponible en el enlace de nuestra bio.',
  minimal: 'Enlace en la bio.',
  bold: 'Enlace en la bio. Ya.',
} as const;

export const es: Catalogue = {
  language: 'es',
  common: {
    cta: CTA,
    genericKind: 'pieza',
    unnamedProduct: (id) => (id ? `el producto ${id}` : 'el producto'),
    unapplied: {
      heading: 'Ajustes no aplicados',
      language: (requested, used) =>
        `Idioma: ${requested} no está disponible en las plantillas sin conexión, así que esto está escrito en ${used}.`,
      tone: (requested, used, available) =>
        `Tono: «${requested}» no es uno de los tonos sin conexión (${available}), así que se usó el tono ${used}.`,
      llm: 'Conecta un modelo de lenguaje (LOOKOUT_LLM_BASE_URL y LOOKOUT_LLM_MODEL) para escribir en cualquier idioma y tono.',
    },
  },

  productCreated: {
    title: (a) => `Contenido de lanzamiento para ${a.title}`,
    headings: {
      hooks: 'Ganchos para TikTok',
      caption: 'Texto de la publicación',
      copy: 'Texto del producto',
      plan: 'Plan de publicaciones',
      emailSubjects: 'Asuntos de email',
    },
    hooks: {
      friendly: (a) => [
        `Acabas de encontrar tu nueva pieza favorita: ${a.title}.`,
        a.off
          ? `${a.title} tiene ${off(a)} ahora mismo. Te contamos por qué merece la pena.`
          : `3 razones para llevarte ${a.title}.`,
        a.vendor
          ? `Hecho por ${a.vendor}, querido por nosotros: te presentamos ${a.title}.`
          : `Te presentamos ${a.title}, nuestra novedad.`,
      ],
      playful: (a) => [
        `Giro de guion: tu próxima pieza favorita acaba de llegar. ¡Saluda a ${a.title}!`,
        a.off ? `¿${off(a)}? ${a.title} dice: date un capricho.` : `Aviso: ${a.title} puede provocar cumplidos.`,
        `Dime que necesitas ${a.title} sin decirme que necesitas ${a.title}.`,
      ],
      refined: (a) => [
        `${a.title}: hecho para durar.`,
        a.off && a.compareAt
          ? `${a.title}, ahora ${priceWord(a)} en lugar de ${a.compareAt}.`
          : `${a.title}, de cerca.`,
        `Los detalles de ${a.title}.`,
      ],
      professional: (a) => [
        `Ya disponible: ${a.title}${by(a)}.`,
        a.off
          ? `${a.title}, ahora ${priceWord(a)} (${off(a)}).`
          : a.price
            ? `${a.title}: diseño cuidado, ${priceWord(a)}.`
            : `${a.title}: los detalles que importan.`,
        `Tres detalles que distinguen a ${a.title}.`,
      ],
      minimal: (a) => [
        `${a.title}.`,
        a.price ? `${a.title}. ${priceWord(a)}.` : `${a.title}. Ya en tienda.`,
        `Nuevo: ${a.title}.`,
      ],
      bold: (a) => [
        `Deja de hacer scroll. Llegó ${a.title}.`,
        a.off
          ? `${a.title} con ${off(a)}. Sin excusas.`
          : a.price
            ? `${a.title}. ${priceWord(a)}. Vale cada céntimo.`
            : `${a.title}. No tiene rival.`,
        `La única pieza que necesitas esta temporada: ${a.title}.`,
      ],
    },
    caption: {
      friendly: (a) => `¡Ya está aquí ${a.title}${a.off ? `, y con ${off(a)}` : ''}!`,
      playful: (a) => `¡Alerta de novedad: ${a.title}${a.off ? ` (${off(a)}, de nada)` : ''}!`,
      refined: (a) => `${a.title}${a.price ? `, ${priceWord(a)}` : ''}.`,
      professional: (a) => `Novedad: ${a.title}${a.price ? `, ${priceWord(a)}` : ''}${a.off ? ` (${off(a)})` : ''}.`,
      minimal: (a) => `${a.title}${a.price ? `. ${priceWord(a)}` : ''}.`,
      bold: (a) => `${a.title}. Ya disponible${a.off ? `. ${off(a)}` : ''}.`,
    },
    copy: {
      friendly: (a, length) =>
        [
          `Te presentamos ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Ahora ${priceWord(a)}, antes ${a.compareAt}: ahorras ${a.upTo ? 'hasta un ' : 'un '}${a.off}.`
            : a.price
              ? `Tuyo por ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Elige entre ${a.options}.` : '',
          length !== 'short' ? 'Creemos que te va a encantar.' : '',
        ]
          .filter(Boolean)
          .join(' '),
      playful: (a, length) =>
        [
          `Te presentamos ${a.title}, tu nueva obsesión.`,
          a.off && a.compareAt
            ? `Antes: ${a.compareAt}. Ahora: ${priceWord(a)}. Las matemáticas nunca fueron tan bonitas.`
            : a.price
              ? `Tuyo por ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Elige tu favorito: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      refined: (a, length) =>
        [
          `${a.title}${a.vendor ? `, de ${a.vendor}` : ''}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt
            ? `Ahora ${priceWord(a)}, antes ${a.compareAt}.`
            : a.price
              ? `${a.priceFrom ? 'Desde' : 'Precio:'} ${a.price}.`
              : '',
          length !== 'short' && a.options ? `Disponible en ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      professional: (a, length) =>
        [
          `Le presentamos ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Ahora ${priceWord(a)}, antes ${a.compareAt} (${off(a)}).`
            : a.price
              ? `Disponible ${a.priceFrom ? 'desde' : 'por'} ${a.price}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Tallas y variantes: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      minimal: (a, length) =>
        [
          `${a.title}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt ? `${priceWord(a)} (antes ${a.compareAt}).` : a.price ? `${priceWord(a)}.` : '',
          length !== 'short' && a.options ? `${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      bold: (a, length) =>
        [
          `Llegó ${a.title}.`,
          a.off && a.compareAt
            ? `${priceWord(a)}. Antes ${a.compareAt}. No lo pienses.`
            : a.price
              ? `${priceWord(a)}. Punto.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Tú eliges: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
    },
    plan: (a) => [
      `Día 1: publica el gancho 1 como vídeo corto mostrando ${a.title} en uso.`,
      `Día 2: publica el gancho 2 con el precio${a.off ? ' y el descuento' : ''} en pantalla.`,
      'Día 3: publica el gancho 3 y responde en vídeo al comentario más repetido.',
      'Día 5: fija el vídeo que mejor funcione y reutilízalo como Spark Ad.',
    ],
    emailSubjects: (a) => [
      `Novedad: ${a.title}`,
      a.off ? `${a.title}, ahora con ${off(a)}` : `${a.title} acaba de llegar`,
      `${a.title}, de cerca`,
    ],
  },

  productUpdated: {
    title: (kind, a) =>
      ({
        priceDrop: `Bajada de precio en ${a.title}: cuéntaselo a tu audiencia`,
        priceRise: `${a.title} cuesta más ahora: actualiza su texto`,
        backInStock: `${a.title} vuelve a estar en stock: anúncialo`,
        soldOut: `${a.title} se agotó: pasa a una lista de espera`,
        stockChange: `Cambió el stock de ${a.title}`,
        published: `${a.title} ya está publicado: es momento de promocionarlo`,
        unpublished: `${a.title} ya no está activo: pausa su promoción`,
        details: `${a.title} se actualizó: renueva su texto`,
      })[kind],
    field: {
      title: 'Título',
      price: 'Precio',
      compareAt: 'Precio de comparación',
      discount: 'Descuento',
      status: 'Estado',
      tags: 'Etiquetas',
      productType: 'Tipo de producto',
      vendor: 'Marca',
      description: 'Descripción',
      inventory: 'Inventario',
      variants: 'Variantes',
    },
    headings: { changes: 'Qué cambió', notable: 'Situación actual', copy: 'Texto' },
    comparedWith: (basis, when, updates) =>
      basis === 'burst'
        ? `${updates} ediciones rápidas desde ${when}: se compara la primera con la última.`
        : `Comparado con la versión que Lookout guardó el ${when}${updates > 1 ? ` (${updates} actualizaciones desde entonces)` : ''}.`,
    firstSeen: (title) => `Es la primera versión de ${title} que ve Lookout, así que aún no hay nada con qué comparar.`,
    descriptionChanged: 'reescrita',
    copy: (kind, tone, a) => {
      const restrained = tone === 'refined' || tone === 'professional' || tone === 'minimal';
      const cta = CTA[tone];
      switch (kind) {
        case 'priceDrop':
          return restrained
            ? `${a.title} ahora cuesta ${priceWord(a)}${a.compareAt ? `, antes ${a.compareAt}` : ''}. ${cta}`
            : `Bajada de precio: ${a.title} ahora cuesta ${priceWord(a)}${a.off ? ` (${off(a)})` : ''}. ${cta}`;
        case 'priceRise':
          return `${a.title}, ahora ${priceWord(a)}.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
        case 'backInStock':
          return `${a.title} vuelve a estar en stock${a.inventory ? ` (${a.inventory} disponibles)` : ''}. ${cta}`;
        case 'soldOut':
          return `${a.title} se agotó. Apúntate a la lista de espera para enterarte primero cuando vuelva.`;
        case 'stockChange':
          return `${a.title} está en stock y listo para enviar. ${cta}`;
        case 'published':
          return `${a.title} ya está disponible${a.price ? ` por ${priceWord(a)}` : ''}. ${cta}`;
        case 'unpublished':
          return `Nota interna: ${a.title} ya no está activo. Pausa los anuncios y publicaciones programadas que enlazan a él.`;
        default:
          return `${a.title}: novedades.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
      }
    },
  },

  productDeleted: {
    title: (name) => `Limpieza tras eliminar ${name}`,
    heading: 'Lista de limpieza',
    unknown: (id) =>
      `Lookout nunca guardó una versión del producto ${id}, así que su nombre y su página son desconocidos.`,
    steps: (name, handle) => [
      handle
        ? `Redirige /products/${handle} a una colección relacionada (Tienda online > Navegación > Redirecciones de URL) para que los enlaces y anuncios antiguos no acaben en «página no encontrada».`
        : `Añade una redirección desde la antigua página de ${name} a una colección relacionada para que los enlaces y anuncios antiguos no acaben en «página no encontrada».`,
      `Pausa los anuncios y publicaciones programadas que enlazan a ${name}.`,
      `Quita ${name} de los flujos de email, packs y reglas de descuento.`,
      `Revisa las colecciones, menús y entradas de blog que destacaban ${name}.`,
      'Avisa a los suscriptores de reposición y a los clientes con pedidos abiertos de qué esperar.',
    ],
  },

  collection: {
    title: (a, updated) =>
      updated ? `Plan de renovación de la colección ${a.title}` : `Plan de lanzamiento de la colección ${a.title}`,
    summary: (a) =>
      `${a.title} ${a.published ? 'está publicada' : 'aún no está publicada'}${a.handle ? ` (/collections/${a.handle})` : ''}.`,
    headings: { plan: 'Plan', announcement: 'Anuncio', members: 'Productos' },
    memberBasis: {
      rule: (detail, count) =>
        `${count} ${plural(count, 'producto guardado cumple', 'productos guardados cumplen')} la regla de la colección (${detail}):`,
      tag: (detail, count) =>
        `${count} ${plural(count, 'producto guardado tiene', 'productos guardados tienen')} la etiqueta «${detail}»:`,
      recent: (_detail, count) =>
        `El webhook de la colección no incluye productos; estos ${count} se crearon justo antes. Comprueba que pertenecen a ella:`,
      admin: (_detail, count) =>
        `${count} ${plural(count, 'producto', 'productos')} en la colección (API Admin de Shopify):`,
    },
    noMembers: (a) =>
      `Lookout aún no ha visto productos de ${a.title}: añade productos antes de anunciarla, o ponles la etiqueta «${a.handle ?? a.title}».`,
    steps: {
      announce: (a) => `Publica el anuncio de abajo, fíjalo y pon ${a.title} en el banner de la página de inicio.`,
      stories: (a) =>
        `Stories: un producto al día de ${a.title}${a.highlights ? `, empezando por ${a.highlights}` : ''}.`,
      socialProof: (a) => `Comparte las primeras reseñas o fotos de clientes de ${a.title}.`,
      recap: (a) =>
        `Envía por email un resumen de lo más vendido de ${a.title}; haz retargeting a quien visitó sin comprar.`,
      review: (a) => `Revisa sesiones, conversión y lo más vendido de ${a.title}; decide qué reponer o rebajar.`,
      prepare: (a) =>
        `Comprueba que cada producto de ${a.title} tiene fotos, descripción y precio; luego ajusta su título SEO.`,
      tease: (a) => `Adelanta ${a.title}: un vídeo corto de una pieza con «muy pronto» y la fecha.`,
      earlyAccess: (a) =>
        `Da a los suscriptores acceso anticipado a ${a.title}${a.highlights ? ` con un avance de ${a.highlights}` : ''}.`,
      publish: (a) => `Publica ${a.title}, luego el anuncio de abajo, y fíjalo.`,
      reorder: (a) => `Reordena ${a.title}: lo más vendido y las novedades primero; actualiza su banner.`,
      whatsNew: (a) => `Publica las novedades de ${a.title}${a.highlights ? `: ${a.highlights}` : ''}.`,
      emailViewers: (a) => `Escribe a los suscriptores que vieron ${a.title} para contarles la actualización.`,
    },
    announcement: {
      friendly: (a, updated) =>
        updated
          ? `Acaban de llegar novedades a ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Toca el enlace de la bio para verlas.`
          : `Ya está aquí nuestra nueva colección ${a.title}${a.highlights ? `, con ${a.highlights}${a.more ? ', entre otros' : ''}` : ''}. Creemos que te va a encantar. Toca el enlace de la bio.`,
      playful: (a, updated) =>
        updated
          ? `¡${a.title} se ha renovado${a.highlights ? `: saluda a ${a.highlights}` : ''}! Enlace en la bio.`
          : `¡Alerta de novedad: llegó ${a.title}${a.highlights ? ` con ${a.highlights}` : ''}! Enlace en la bio, ¡corre!`,
      refined: (a, updated) =>
        updated
          ? `Nuevas piezas se suman a ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Descúbralas en el enlace de nuestra bio.`
          : `Presentamos ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Descubra la colección en el enlace de nuestra bio.`,
      professional: (a, updated) =>
        updated
          ? `${a.title} se ha actualizado${a.highlights ? ` con ${a.highlights}` : ''}. Disponible en el enlace de nuestra bio.`
          : `Le presentamos ${a.title}, nuestra nueva colección${a.highlights ? `, con ${a.highlights}` : ''}. Disponible en el enlace de nuestra bio.`,
      minimal: (a, updated) =>
        updated ? `${a.title}: piezas nuevas. Enlace en la bio.` : `${a.title}. Ya disponible. Enlace en la bio.`,
      bold: (a, updated) =>
        updated
          ? `${a.title} acaba de mejorar. Enlace en la bio. Ya.`
          : `${a.title}. La nueva colección. Ya disponible. Enlace en la bio.`,
    },
  },

  inventoryLow: {
    title: (a) =>
      a.soldOut
        ? `${a.name} se agotó: repón ya`
        : a.cover
          ? `Repón ${a.name}: quedan unos ${a.cover} días de stock`
          : `Repón ${a.name}: quedan ${a.available}`,
    headings: { stock: 'Stock', sales: 'Ventas', reorder: 'Pedido', meanwhile: 'Mientras tanto' },
    available: (a) =>
      a.soldOut
        ? `${a.name} está agotado: 0 disponibles.`
        : `${a.available} ${plural(a.available, 'unidad disponible', 'unidades disponibles')} de ${a.name}.`,
    previousAlert: (a) =>
      `Lookout avisó el ${a.previousAt}${a.previousAvailable ? ` con ${a.previousAvailable} ${plural(a.previousAvailable, 'unidad', 'unidades')}` : ''}; ${a.soldOut ? 'ahora está agotado' : 'el stock es menor ahora'}.`,
    sources: { stored_orders: 'según los pedidos guardados por Lookout', admin_api: 'según la API Admin de Shopify' },
    sales: (a) =>
      a.units
        ? `${a.units} ${plural(a.units, 'unidad vendida', 'unidades vendidas')} en los últimos ${a.days} días (${a.orders} ${plural(a.orders ?? '', 'pedido', 'pedidos')}, ${a.source}): ${a.perDay} al día.`
        : `Ventas recientes: ${a.perDay} al día.`,
    noSales: (a) => `Ninguna venta de ${a.name} en los últimos ${a.days} días (${a.source}).`,
    noData: (a) =>
      `Lookout aún no tiene datos de ventas de ${a.name}: conecta la API Admin o espera a que lleguen pedidos.`,
    cover: (a) => `A este ritmo, el stock dura unos ${a.cover} días${a.runsOutOn ? `, hasta el ${a.runsOutOn}` : ''}.`,
    order: (a) => `Pide **${a.quantity} unidades** de ${a.name}.`,
    noOrderNeeded: (a) =>
      `Aún no hace falta pedir ${a.name}: el stock cubre el plazo de entrega, el siguiente ciclo y el stock de seguridad.`,
    formula: (a) =>
      `Cálculo: redondeo hacia arriba de (${a.units} vendidas × (${a.leadTime} de plazo + ${a.cycle} de ciclo + ${a.safety} de seguridad) ÷ ${a.days} días) − ${a.available} en stock = ${a.target} − ${a.available} = ${a.quantity}.`,
    reorderPoint: (a) =>
      `Punto de pedido: ${a.reorderPoint} unidades (ventas durante el plazo de entrega más los días de seguridad); ${a.belowReorderPoint ? 'estás por debajo, así que pide ya.' : 'aún estás por encima.'}`,
    assumptions: (a) =>
      `Supuestos: plazo del proveedor de ${a.leadTime} días, ${a.safety} días de stock de seguridad, cada pedido cubre ${a.cycle} días de ventas.`,
    zeroSalesAdvice: (a) =>
      `Sin ventas recientes, las ${a.available} unidades en stock no se están agotando: pide solo si esperas demanda (una promoción, una temporada).`,
    meanwhile: {
      friendly: (a) =>
        a.soldOut
          ? `Publica un aviso cercano: «${a.name} se agotó, vuelve pronto».`
          : `Avisa con cariño: «Solo quedan ${a.available} de ${a.name}».`,
      playful: (a) =>
        a.soldOut
          ? `«${a.name} ha abandonado el edificio (de momento).» Activa una lista de espera.`
          : `Juega con la escasez: «${a.name} casi vuela. Si parpadeas, te lo pierdes».`,
      refined: (a) =>
        a.soldOut
          ? `Ofrezca reservar ${a.name} a los clientes que lo soliciten.`
          : `Indique con discreción en la página de ${a.name} que quedan pocas unidades.`,
      professional: (a) =>
        a.soldOut
          ? `Muestra «agotado» en la página de ${a.name} y recoge solicitudes de reposición.`
          : `Muestra un aviso de stock bajo en la página de ${a.name}.`,
      minimal: (a) => (a.soldOut ? `Marca ${a.name} como agotado.` : `En la página: quedan ${a.available}.`),
      bold: (a) =>
        a.soldOut
          ? `Dilo claro: «${a.name}: agotado. Vuelve pronto».`
          : `Dilo claro: «${a.name}: las últimas ${a.available}».`,
    },
    beforeDelivery: (a) =>
      `El stock se agota antes de que pueda llegar un pedido nuevo (plazo de ${a.leadTime} días): pausa los anuncios de ${a.name} y activa los avisos de reposición.`,
    askSupplier: () => 'Pregunta al proveedor si puede adelantar parte del pedido.',
  },

  orderCreated: {
    title: {
      test: (a) => `Pedido de prueba ${a.orderName}: revisa el checkout, no hay cliente a quien escribir`,
      cancelled: (a) => `Se canceló el pedido ${a.orderName}: unas líneas para ${a.firstName ?? 'el cliente'}`,
      firstTime: (a) => `Primer pedido de ${a.firstName ?? 'un cliente nuevo'} (${a.orderName}): dale la bienvenida`,
      repeat: (a) => `${a.firstName ?? 'Un cliente habitual'} volvió a comprar (${a.orderName}): agradéceselo`,
      plain: (a) =>
        `Seguimiento del pedido ${a.orderName} (${a.topItem}${a.otherItems ? ` y ${a.otherItems} más` : ''})`,
    },
    headings: {
      message: (a) => `Mensaje para ${a.firstName ?? 'el cliente'}`,
      crossSell: 'Venta cruzada',
      checks: 'Comprobaciones',
      customer: 'Cliente',
    },
    message: {
      firstTime: {
        friendly: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\nTe damos la bienvenida y las gracias por tu primer pedido (${a.orderName}). Estamos preparando tu ${a.topItem} con mucho cariño. ¿Alguna pregunta? Responde a este mensaje.`,
        playful: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\nPrimer pedido y elegiste ${a.topItem}. ¡Qué buen gusto! El pedido ${a.orderName} ya está en marcha. ¿Dudas? Responde aquí.`,
        refined: (a) =>
          `Estimada clienta, estimado cliente${a.firstName ? ` ${a.firstName}` : ''}:\n\nLe agradecemos su primer pedido, ${a.orderName}. Preparamos su ${a.topItem} con el máximo cuidado. Para cualquier consulta, basta con responder a este mensaje.`,
        professional: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nGracias por su primer pedido (${a.orderName}). Estamos preparando su ${a.topItem} y le avisaremos en cuanto salga. Responda a este mensaje si necesita algo.`,
        minimal: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nGracias por tu primer pedido, ${a.orderName}.`,
        bold: (a) =>
          `${a.firstName ?? 'Hola'}:\n\nYa eres de los nuestros. Pedido ${a.orderName} confirmado: tu ${a.topItem} sale pronto.`,
      },
      repeat: {
        friendly: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\n¡Qué alegría verte de nuevo! Gracias por el pedido ${a.orderName}: estamos preparando tu ${a.topItem} con cariño. ¿Alguna pregunta? Responde a este mensaje.`,
        playful: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}, has vuelto!\n\nEl pedido ${a.orderName} (hola, ${a.topItem}) ya está en marcha. Puede que estemos un poquito emocionados.`,
        refined: (a) =>
          `Estimada clienta, estimado cliente${a.firstName ? ` ${a.firstName}` : ''}:\n\nEs un placer volver a atenderle. Su pedido ${a.orderName} se está preparando con cuidado. Para cualquier consulta, responda a este mensaje.`,
        professional: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nGracias por confiar de nuevo en nosotros (${a.orderName}). Estamos preparando su ${a.topItem} y le confirmaremos el envío.`,
        minimal: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nGracias por volver a comprar: ${a.orderName} sale pronto.`,
        bold: (a) => `${a.firstName ?? 'Hola'}:\n\nVuelves a por más. Respeto. El pedido ${a.orderName} sale pronto.`,
      },
      cancelled: {
        friendly: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\nHemos visto que el pedido ${a.orderName} se canceló. Si algo no fue bien, respóndenos y cuéntanoslo: nos encantaría ayudarte. ${a.topItem} te espera cuando quieras.`,
        playful: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\nEl pedido ${a.orderName} se canceló y ${a.topItem} está un poco triste. ¿Cambiaste de idea? ¿Algo salió mal? Responde aquí.`,
        refined: (a) =>
          `Estimada clienta, estimado cliente${a.firstName ? ` ${a.firstName}` : ''}:\n\nSu pedido ${a.orderName} ha sido cancelado. Si algo no ha estado a la altura de sus expectativas, le agradeceríamos que nos lo contara.`,
        professional: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nHemos tramitado la cancelación del pedido ${a.orderName}. Si algo de su experiencia no fue como esperaba, responda a este mensaje: su opinión nos ayuda a mejorar.`,
        minimal: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nEl pedido ${a.orderName} está cancelado. Si podemos ayudarte, responde aquí.`,
        bold: (a) =>
          `${a.firstName ?? 'Hola'}:\n\nEl pedido ${a.orderName} se canceló. Si la fastidiamos, dínoslo sin rodeos.`,
      },
      plain: {
        friendly: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\n¡Muchas gracias por tu pedido ${a.orderName}! Estamos preparando tu ${a.topItem} con cariño. ¿Alguna pregunta? Responde a este mensaje.`,
        playful: (a) =>
          `¡Hola${a.firstName ? `, ${a.firstName}` : ''}!\n\nBuenas noticias para ${a.topItem}: ¡se va contigo! El pedido ${a.orderName} ya está en marcha.`,
        refined: (a) =>
          `Estimada clienta, estimado cliente${a.firstName ? ` ${a.firstName}` : ''}:\n\nGracias por su pedido, ${a.orderName}. Preparamos su ${a.topItem} con cuidado.`,
        professional: (a) =>
          `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nGracias por su pedido ${a.orderName}. Estamos preparando su ${a.topItem} y le avisaremos en cuanto salga.`,
        minimal: (a) => `Hola${a.firstName ? `, ${a.firstName}` : ''}:\n\nGracias por el pedido ${a.orderName}.`,
        bold: (a) => `${a.firstName ?? 'Hola'}:\n\nPedido ${a.orderName} confirmado. Tu ${a.topItem} sale pronto.`,
      },
    },
    ps: (a) =>
      a.pairingBoughtTogether
        ? `P. D.: Quienes compran ${a.topItem} suelen llevarse también ${a.pairing}.`
        : `P. D.: ${a.pairing} combina muy bien con tu ${a.topItem}.`,
    signOff: (a) => a.brand ?? 'El equipo',
    customerNote: {
      firstTime: (a) =>
        `Primer pedido de ${a.firstName ?? 'este cliente'}: una buena bienvenida ahora hace más probable el segundo pedido.`,
      repeat: (a) =>
        `Cliente habitual: ${a.previousOrders} ${plural(a.previousOrders ?? '', 'pedido anterior', 'pedidos anteriores')}${a.lastOrderOn ? `, el último el ${a.lastOrderOn}` : ''}.`,
      unknown: 'Compra como invitado: Lookout no puede saber si este cliente ya compró antes.',
    },
    testNote: (a, cancelled) =>
      `${a.orderName} es un pedido de prueba${cancelled ? ' (y se canceló)' : ''}: no hay ningún cliente a quien escribir.`,
    testSteps: (a) => [
      `Comprueba que llegó el email de confirmación de ${a.orderName} y que se lee bien.`,
      'Revisa impuestos, tarifas de envío y el código de descuento del pedido.',
      'Comprueba que se reservó el stock (y que se liberó si el pedido se canceló).',
      `Archiva ${a.orderName} para que no aparezca en tus informes de ventas.`,
      'Saca el proveedor de pagos del modo de prueba antes del lanzamiento.',
    ],
    cancelledNote: (a) =>
      `${a.orderName} se canceló${a.total ? ` (${a.total})` : ''}. El mensaje de abajo pregunta el motivo sin prometer nada sobre la entrega.`,
    crossSellReason: {
      boughtTogether: (item, orders) => `comprado con ${item} en ${orders} ${plural(orders, 'pedido', 'pedidos')}`,
      type: (detail) => `mismo tipo de producto (${detail})`,
      vendor: (detail) => `también de ${detail}`,
      tag: (detail) => `comparte la etiqueta «${detail}»`,
    },
    noCrossSell:
      'Aún no hay venta cruzada: ningún otro pedido ni producto del catálogo se relaciona con estos artículos.',
  },

  batch: {
    title: (count, first, updated) =>
      updated
        ? `${count} productos actualizados, entre ellos ${first}`
        : `${count} productos nuevos: empieza por ${first}`,
    intro: (count, updated) =>
      updated
        ? `${count} productos cambiaron a la vez (una importación o una edición masiva). Los de mayor precio aparecen primero.`
        : `${count} productos llegaron a la vez (una importación o una edición masiva). Promociona bien unos pocos en lugar de todos a la vez.`,
    headings: {
      top: 'Destaca estos primero',
      byType: 'Por tipo de producto',
      plan: 'Plan',
      product: 'Producto',
      price: 'Precio',
      discount: 'Descuento',
      included: 'Incluidos',
    },
    noType: 'Sin tipo de producto',
    plan: (top, largest) => [
      `Esta semana: publica ganchos de TikTok para ${top}.`,
      ...(largest
        ? [
            `Agrupa el tipo de producto más numeroso (${largest.type}, ${largest.count} productos) en una colección y anúnciala.`,
          ]
        : []),
      'Programa el resto a uno o dos productos al día en lugar de una gran publicación.',
      'Antes de promocionar, comprueba que cada producto tiene imagen, descripción y precio.',
    ],
    genericTitle: (count, first, more) => `${count} cambios${first ? `: ${first}${more ? ` y ${more} más` : ''}` : ''}`,
    genericIntro: (count) =>
      `${count} eventos de este tipo llegaron juntos y se resumen aquí en lugar de una sugerencia por cada uno.`,
  },

  tableDocs: {
    title: {
      table: (q) => `Documenta la nueva tabla ${q}`,
      added: (q, column) => `Documenta la nueva columna ${q}.${column}`,
      renamed: (q, from, to) => `Columna renombrada: ${q}.${from} → ${to}`,
      retyped: (q, column, from, to) => `Cambio de tipo de columna: ${q}.${column} (${from} → ${to})`,
    },
    intro: {
      renamed: (from, to) => `${from} ahora se llama ${to}.`,
      retyped: (column, from, to) => `${column} pasó del tipo ${from} al tipo ${to}.`,
      nullability: (column, nowNotNull) => `${column} ahora es ${nowNotNull ? 'NOT NULL' : 'nullable'}.`,
    },
    headings: {
      columns: 'Columnas',
      constraints: 'Claves y restricciones',
      indexes: 'Índices',
      security: 'Row level security',
      advice: 'Recomendaciones',
      comments: 'Comentarios sugeridos',
      followUps: 'Pasos siguientes',
    },
    columnHeader: ['Columna', 'Tipo', 'Nullable', 'Por defecto', 'Clave'],
    yes: 'sí',
    no: 'no',
    key: { primary: 'PK', unique: 'única', references: (target) => `FK → ${target}` },
    primaryKey: (columns) => `Clave primaria: ${columns}`,
    noPrimaryKey: 'Sin clave primaria.',
    foreignKey: (name, columns, target, actions) =>
      `Clave foránea${name ? ` ${name}` : ''}: ${columns} → ${target}${actions ? `, ${actions}` : ''}`,
    unique: (columns) => `Única: ${columns}`,
    check: (name, definition) => `Comprobación ${name}: ${definition}`,
    index: (name, definition) => `${name}: ${definition}`,
    noIndexes: 'Sin índices.',
    indexesUnknown: 'El evento no incluía los índices; la próxima instantánea del esquema los traerá.',
    rls: {
      on: (q) => `Activada en ${q}: la API solo muestra las filas que permiten tus políticas.`,
      off: (q) => `Desactivada en ${q}.`,
      unknown: (q) => `Desconocida para ${q}.`,
    },
    advice: {
      rlsOff: (q, statement) =>
        `La row level security está desactivada en ${q}, una tabla que expone la API de Supabase: cualquiera con la clave anon puede leer y modificar todas las filas. Ejecuta ${statement} y añade políticas para el acceso que quieras permitir.`,
      fkWithoutIndex: (columns, target, statement) =>
        `La clave foránea de ${columns} (hacia ${target}) no tiene índice: los joins, y cada borrado o actualización en la tabla referenciada, recorren esta tabla entera. Ejecuta ${statement}.`,
      noPrimaryKey: (q) =>
        `${q} no tiene clave primaria: añade una, o las actualizaciones de filas por la API y la replicación lógica no funcionarán.`,
      notNullWithoutDefault: (column) =>
        `${column} es NOT NULL sin valor por defecto: los inserts que no la rellenen fallan desde ahora. Actualiza el código que inserta filas o añade un valor por defecto.`,
      becameNotNull: (column) =>
        `${column} pasó a ser NOT NULL sin valor por defecto: los inserts que no la rellenen fallan desde ahora. Actualiza el código que inserta filas o añade un valor por defecto.`,
      renamed: (from) => [
        'Las vistas, los índices y las políticas RLS siguen el cambio de nombre (PostgreSQL las vincula a la columna, no a su nombre).',
        `El código, las funciones SQL y las consultas a la API que aún usan ${from} se rompen: búscalo y actualízalos.`,
      ],
      retyped: (column, from, to, rewrite) => [
        `El código que lee ${column} recibe ahora valores ${to} en lugar de ${from}: revisa el parseo y la validación.`,
        rewrite
          ? `${from} → ${to} reescribe toda la tabla con un bloqueo exclusivo: en una tabla grande, haz este tipo de cambio en un momento tranquilo.`
          : `${from} → ${to} no necesita reescribir la tabla: las filas existentes quedaron como estaban.`,
      ],
      bigintInJs: (column) =>
        `Los valores bigint por encima de Number.MAX_SAFE_INTEGER pierden precisión en JavaScript: lee ${column} como texto si puede crecer tanto.`,
    },
    followUps: {
      types: (command) => `Regenera los tipos del cliente: ${command}.`,
      migration: (create, push) => `Guarda los comentarios en una migración: ${create}, pega el SQL y luego ${push}.`,
    },
    noColumns: 'Aún no había lista de columnas para esta tabla.',
    describe: {
      references: (target) => `Referencia a ${target}.`,
      primaryKey: (table) => `Clave primaria de ${table}.`,
      relatedId: (words) => `Identificador del ${words} relacionado.`,
      createdAt: 'Cuándo se creó la fila.',
      updatedAt: 'Cuándo se actualizó la fila por última vez.',
      deletedAt: 'Cuándo se borró la fila de forma lógica; null mientras está activa.',
      flag: (entity, words) => `Verdadero cuando ${entity}: ${words}.`,
      email: 'Dirección de email.',
      status: (entity) => `Estado del ciclo de vida (${entity}).`,
      money: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}, importe monetario.`,
      count: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}: una cantidad.`,
      when: (entity, words) => `Fecha de ${words} (${entity}).`,
      generic: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)} (${entity}).`,
      table: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)}: una fila por ${entity}.`,
    },
  },

  schemaChangelog: {
    title: (subject, verb) =>
      `Entrada del changelog: ${verb === 'dropTable' ? 'tabla eliminada ' : verb === 'dropColumn' ? 'columna eliminada en ' : ''}${subject}`,
    databaseSchema: 'el esquema de la base de datos',
    andMore: (first, more) => `${first} y ${more} más`,
    unreleased: 'Sin publicar',
    categories: { added: 'Añadido', changed: 'Cambiado', removed: 'Eliminado' },
    headings: { changelog: 'Changelog', followUps: 'Pasos siguientes' },
    entry: {
      tableRenamed: (before, after) => `Tabla ${before} renombrada a ${after}`,
      tableComment: (table, comment) =>
        `Comentario de la tabla ${table} ${comment ? `cambiado a «${comment}»` : 'eliminado'}`,
      rlsEnabled: (table) => `Row level security activada en ${table}`,
      rlsDisabled: (table) =>
        `Row level security desactivada en ${table}: cualquier rol con privilegios sobre la tabla (anon incluido) puede leer y modificar todas las filas`,
      nullability: (column, notNull) => `La columna ${column} ahora es ${notNull ? 'NOT NULL' : 'nullable'}`,
      default: (column, before, after) => `Valor por defecto de la columna ${column}: ${before} → ${after}`,
      none: 'ninguno',
      columnComment: (column) => `Comentario de la columna ${column} cambiado`,
      constraint: (name, table, detail) => `Restricción ${name}${table ? ` en ${table}` : ''}${detail}`,
      constraintRenamedFrom: (before) => ` (antes ${before})`,
      constraintWas: (before) => ` (era ${before})`,
      columnRenamed: (before, after) => `Columna ${before} renombrada a ${after}`,
      columnRetyped: (column, before, after) => `Tipo de la columna ${column}: ${before} → ${after}`,
      column: (column, type) => `Columna ${column}${type ? ` (${type})` : ''}`,
      table: (table, columns) => `Tabla ${table}${columns ? ` (${columns} columnas)` : ''}`,
      ddl: (tag, type, object) => `${tag}${type ? ` (${type})` : ''}${object ? ` ${object}` : ''}`,
      noDetails: 'Cambio en el esquema (el evento no trae detalles)',
    },
    followUps: {
      reEnableRls: (table, statement) =>
        `Vuelve a activar la row level security, salvo que ${table} deba ser pública: ${statement}`,
      searchRemoved:
        'Busca lo eliminado en el código, las vistas, las funciones y las políticas RLS antes del próximo despliegue.',
      types: (command) => `Regenera los tipos del cliente: ${command}.`,
      captureMigration: (command) => `Si el cambio se hizo en el panel, guárdalo como migración: ${command}.`,
    },
  },

  migrationPending: {
    title: {
      missing: (version, dir) => `La migración ${version} está aplicada pero falta en ${dir}`,
      outOfOrder: (subject) => `Aplica la migración fuera de orden ${subject}`,
      pending: (subject, one) => `Aplica ${one ? 'la migración pendiente ' : ''}${subject}`,
    },
    subject: {
      none: 'las migraciones pendientes',
      many: (count, first, last) => `${count} migraciones pendientes (${first} … ${last})`,
    },
    headings: {
      pending: 'Pendientes',
      missing: 'Falta en local',
      why: 'Por qué',
      resync: 'Vuelve a sincronizar el historial',
      applyLinked: 'Aplicar (proyecto vinculado)',
      applyLocal: 'Aplicar (base de datos local)',
    },
    file: (path, version) => `${path}${version ? ` (versión ${version})` : ''}`,
    version: (version) => `versión ${version}`,
    noFiles: 'El evento no incluía nombres de archivo; ejecuta el primer comando de abajo para verlos.',
    why: {
      listRemote: () => 'Muestra las versiones locales y remotas lado a lado.',
      listLocal: () => 'Compara los archivos locales con las migraciones aplicadas.',
      fetch: () => 'Descarga las migraciones aplicadas que faltan en la carpeta local (haz commit de ellas).',
      repair: () => 'Solo si la migración se quitó a propósito: la marca como no aplicada en el historial remoto.',
      pushDryRunAll: (latest) =>
        `Previsualiza la ejecución: este archivo es anterior a la última versión aplicada${latest ? ` (${latest})` : ''}, así que un push normal lo omite.`,
      pushAll: () => 'La aplica; comprueba antes que no depende de ejecutarse antes que las más recientes.',
      up: () => 'Aplica las pendientes a la base de datos local.',
      pushDryRun: () => 'Previsualiza lo que se ejecutaría, sin aplicarlo.',
      push: () => 'Las aplica al proyecto vinculado.',
    },
  },

  calendar: {
    launch: {
      title: (name, summary, when) =>
        `Cuenta atrás${name ? ` para ${name}` : ''}: ${summary}${when ? `, ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` empieza el ${when}` : ''}${location ? ` (${location})` : ''}.`,
      product: (a) =>
        `${a.name}${a.price ? `: ${a.price}${a.compareAt ? ` (antes ${a.compareAt}, ${a.off} menos)` : ''}` : ''}${a.inventory ? `, ${a.inventory} en stock` : ''}${a.notActive ? `. En Shopify está como ${a.status}: publícalo antes del lanzamiento` : ''}.`,
      heading: 'Cuenta atrás',
      steps: {
        teaser: (a) => `Publicación teaser de ${a.name}: «faltan 3 días».`,
        reminder: (a) => `Email y SMS de recordatorio a los suscriptores con acceso anticipado a ${a.name}.`,
        goLive: (a) =>
          `Comprobación previa: ${a.name} ${a.notActive ? 'publicado' : 'activo'}, ${a.inventory ? `${a.inventory} en stock` : 'stock cargado'}, ${a.price ? `precio ${a.price}` : 'precio fijado'}, códigos de descuento probados, enlaces funcionando.`,
        launch: (a) => `Publicación y stories de lanzamiento de ${a.name}; fija la publicación.`,
        followUp: (a) => `Da las gracias a los primeros compradores y comparte las primeras reacciones a ${a.name}.`,
      },
    },
    meeting: {
      title: (summary, when) => `Prepara «${summary}»${when ? `, ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` empieza el ${when}` : ''}${location ? ` (${location})` : ''}.`,
      headings: { agenda: 'Orden del día', recap: 'Desde la última vez', questions: 'Preguntas para la reunión' },
      sinceLastMeeting: (date) => `Desde la última reunión, el ${date}:`,
      lastDays: (days) => `En los últimos ${days} días:`,
      orders: (count, units, revenue) =>
        `${count} ${plural(count, 'pedido', 'pedidos')} (${units} ${plural(units, 'artículo', 'artículos')}${revenue ? `, ${revenue}` : ''}).`,
      noOrders: 'Ningún pedido.',
      bestSellers: (list) => `Lo más vendido: ${list}.`,
      cancelled: (count) => `${count} ${plural(count, 'pedido cancelado', 'pedidos cancelados')}.`,
      lowStock: (list) => `Stock bajo: ${list}.`,
      stockItem: (name, available) => `${name}${available !== undefined ? ` (quedan ${available})` : ''}`,
      productsCreated: (list) => `Productos nuevos: ${list}.`,
      collectionsCreated: (list) => `Colecciones nuevas: ${list}.`,
      schemaChanges: (list) => `Base de datos: ${list}.`,
      schemaChange: (kind, table, column) => {
        const t = table ?? 'el esquema';
        switch (kind) {
          case 'table.created':
            return `tabla ${t} creada`;
          case 'table.dropped':
            return `tabla ${t} eliminada`;
          case 'column.added':
            return `columna ${column ?? '?'} añadida a ${t}`;
          case 'column.dropped':
            return `columna ${column ?? '?'} eliminada de ${t}`;
          case 'column.renamed':
            return `columna ${column ?? '?'} renombrada en ${t}`;
          case 'column.retyped':
            return `tipo de la columna ${column ?? '?'} cambiado en ${t}`;
          case 'constraint.changed':
            return `restricciones cambiadas en ${t}`;
          default:
            return `cambios en ${t}`;
        }
      },
      migrations: (list) => `Migraciones aún sin aplicar: ${list}.`,
      quiet: 'No pasó nada en la tienda ni en la base de datos.',
      questions: {
        restock: (item) => `Reponer ${item}: ¿pedir ya o dejar que se agote?`,
        cancelled: (count) => `${count} ${plural(count, 'pedido cancelado', 'pedidos cancelados')}: ¿qué falló?`,
        schema: (table) => `¿Quién revisa el cambio en ${table}, y está la app actualizada?`,
        migration: (file) => `¿Quién aplica ${file}, y cuándo?`,
        launch: (product) => `${product}: ¿qué contenido de lanzamiento sale primero?`,
      },
    },
  },

  signedEvent: {
    title: (type) => (type ? `Webhook: ${type}` : 'Ha llegado un webhook firmado'),
    summary: (type, count) =>
      `${type ? `El emisor ha notificado ${type}` : 'Un emisor ha enviado un evento sin tipo'}, con ${count} ${count === '1' ? 'campo' : 'campos'}.`,
    heading: 'Lo que dice',
    more: (count) => `…y ${count} más`,
    empty: 'El cuerpo no traía ningún campo.',
  },

  minorEvents: {
    row: {
      title: (verb, table, id) =>
        `Fila ${{ inserted: 'insertada en', updated: 'actualizada en', deleted: 'eliminada de' }[verb]} ${table}${id ? ` (id ${id})` : ''}`,
      body: (verb, table, id) =>
        `Se ha ${{ inserted: 'insertado una fila en', updated: 'actualizado una fila en', deleted: 'eliminado una fila de' }[verb]} ${table}${id ? ` (id ${id})` : ''}.`,
      changed: (columns) => `Columnas cambiadas: ${columns}.`,
      advice:
        'Los eventos de filas rara vez requieren acción. Para dejar de recibirlos, excluye esta tabla en tus preferencias.',
    },
    uninstalled: {
      title: (shop) => `${shop ?? 'Una tienda'} desinstaló la app`,
      lines: [
        'Se detienen los webhooks y el sondeo de esta tienda; los eventos guardados se conservan hasta la solicitud shop/redact (48 horas después de desinstalar).',
        'Si no era intencionado, vuelve a instalar la app desde el admin de Shopify.',
      ],
    },
    dataRequest: {
      title: (shop, orders) => `Solicitud de datos de un cliente de ${shop ?? 'tu tienda'} (${orders} pedidos)`,
      intro: 'Un cliente pidió sus datos (RGPD/CCPA). Shopify espera que la tienda responda en 30 días.',
      steps: (orders) => [
        `Reúne lo que Lookout guarda sobre los ${orders} pedidos indicados en la solicitud.`,
        'Envíaselo al cliente por tu canal de soporte habitual.',
      ],
    },
    redact: {
      title: (shop, orders) => `Borra datos de un cliente de ${shop ?? 'tu tienda'} (${orders} pedidos)`,
      body: (orders) =>
        `Borra los datos personales del cliente de los eventos y sugerencias sobre ${orders} pedidos en un plazo de 30 días; conserva solo lo que exige la ley.`,
    },
    shopRedact: {
      title: (shop) => `Borra todos los datos de ${shop ?? 'la tienda'}`,
      body: 'La tienda desinstaló la app hace 48 horas; Shopify pide borrar todos sus datos.',
    },
    inventoryUpdated: {
      title: (name, available) =>
        `Inventario de ${name} actualizado${available !== undefined ? `: ${available} disponibles` : ''}`,
      level: (name, available, location) =>
        `El stock de ${name} es ahora ${available}${location ? ` en la ubicación ${location}` : ''}. No hace falta hacer nada mientras siga por encima de tu umbral de stock bajo.`,
      settings:
        'Cambió la configuración del stock (seguimiento, coste u origen). No hace falta hacer nada salvo que el stock esté bajo.',
    },
    unknown: () => 'Aún no existe una plantilla para este tipo de evento.',
  },
};
