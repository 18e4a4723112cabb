/** Spanish phrases of the Shopify templates (neutral Spanish, "tú" for customers). */
import type { Tone } from '../../vibe.js';
import type { ProductPhraseArgs, ShopifyText } from './shopifyText.js';

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…:]$/.test(t) ? t : `${t}.`;
}

const CTA: Record<Tone, string> = {
  friendly: 'Toca el enlace de la bio para conseguir el tuyo.',
  professional: 'Compra ya desde el enlace de nuestra bio.',
  playful: '¡Enlace en la bio, corre!',
  bold: 'Enlace en la bio. Ya.',
};

function off(a: ProductPhraseArgs): string {
  return `${a.upTo ? 'hasta un ' : ''}${a.pct}% de descuento`;
}

function priceWord(a: ProductPhraseArgs): string {
  return `${a.priceFrom ? 'desde ' : ''}${a.price}`;
}

export const es: ShopifyText = {
  cta: (tone) => CTA[tone],
  genericKind: 'hallazgo',
  unnamedProduct: (id) => (id ? `el producto ${id}` : 'el producto'),
  and: 'y',
  headings: {
    hooks: 'Ganchos para TikTok',
    caption: 'Texto de la publicación',
    copy: 'Texto de marketing',
    plan: 'Plan de publicaciones',
    emailSubjects: 'Asuntos de correo',
    changes: 'Qué cambió',
    notable: 'Campos destacados',
    checklist: 'Lista de limpieza',
    launchPlan: 'Plan de lanzamiento',
    announcement: 'Anuncio',
    featured: 'Destacar primero',
    stock: 'Existencias',
    reorder: 'Reposición',
    meanwhile: 'Mientras tanto',
    crossSell: 'Venta cruzada',
    topProducts: 'Destaca estos primero',
    byType: 'Por tipo de producto',
    nextSteps: 'Plan',
    product: 'Producto',
    price: 'Precio',
    discount: 'Descuento',
  },
  created: {
    title: (a) => `Contenido de lanzamiento para ${a.title}`,
    hooks(tone, a) {
      switch (tone) {
        case 'professional':
          return [
            `Presentamos ${a.title}: pensado para ${a.audience ?? 'el día a día'}.`,
            a.pct
              ? `${a.title}, ahora ${priceWord(a)} (${off(a)}).`
              : a.price
                ? `${a.title}: diseño cuidado ${priceWord(a)}.`
                : `${a.title}: los detalles que importan.`,
            `Tres detalles que distinguen a ${a.title}.`,
          ];
        case 'playful':
          return [
            `Giro inesperado: acaba de llegar tu próximo favorito. ¡Saluda a ${a.title}!`,
            a.pct
              ? `¿¡${a.pct}% de descuento!? ${a.title} dice: date un gusto.`
              : `Aviso: ${a.title} puede provocar cumplidos.`,
            `Dime que necesitas ${a.title} sin decirme que necesitas ${a.title}.`,
          ];
        case 'bold':
          return [
            `Deja de hacer scroll. ${a.title} ya está aquí.`,
            a.pct
              ? `${a.title} con ${off(a)}. Sin excusas.`
              : a.price
                ? `${a.title}. ${priceWord(a)}. Vale cada céntimo.`
                : `${a.title}. Nada se le acerca.`,
            `Lo único que necesitas esta temporada: ${a.title}.`,
          ];
        default:
          return [
            `POV: acabas de encontrar tu nuevo favorito: ${a.title}.`,
            a.pct
              ? `¿${a.upTo ? 'Hasta un ' : 'Un '}${a.pct}% de descuento en ${a.title}? Te contamos por qué no durará.`
              : `3 razones por las que ${a.title} merece un lugar en tu carrito.`,
            a.audience
              ? `Pensado para ${a.audience}: te presentamos ${a.title}.`
              : `Te presentamos ${a.title}${a.vendor ? ` de ${a.vendor}` : ''}: esto es lo que lo hace especial.`,
          ];
      }
    },
    caption(tone, a) {
      switch (tone) {
        case 'professional':
          return `Novedad: ${a.title}${a.price ? `, ${priceWord(a)}` : ''}${a.pct ? ` (${off(a)})` : ''}. ${CTA[tone]}`;
        case 'playful':
          return `¡Alerta de novedad: ${a.title}${a.pct ? ` (${off(a)}, de nada)` : ''}! ${CTA[tone]}`;
        case 'bold':
          return `${a.title}. Ya disponible${a.pct ? `. ${off(a)}` : ''}. ${CTA[tone]}`;
        default:
          return `¡${a.title} ya está aquí${a.pct ? ` y con ${off(a)}` : ''}! ${CTA[tone]}`;
      }
    },
    copy(tone, a, length) {
      const opener: Record<Tone, string> = {
        friendly: `Te presentamos ${a.title}${a.vendor ? ` de ${a.vendor}` : ''}.`,
        professional: `Presentamos ${a.title}${a.vendor ? ` de ${a.vendor}` : ''}.`,
        playful: `Conoce ${a.title}, tu nueva obsesión.`,
        bold: `${a.title} ya está aquí.`,
      };
      const price =
        a.pct && a.compareAt && a.price
          ? `Ahora ${priceWord(a)}, antes ${a.compareAt}: ahorra ${a.upTo ? 'hasta un ' : 'un '}${a.pct}%.`
          : a.price
            ? `Disponible ${a.priceFrom ? 'desde' : 'por'} ${a.price}.`
            : '';
      const parts = [opener[tone], price];
      if (length !== 'short') {
        if (a.description) parts.push(sentence(a.description));
        if (a.options.length > 1)
          parts.push(`Elige entre ${a.options.slice(0, -1).join(', ')} y ${a.options[a.options.length - 1]}.`);
        if (a.audience) parts.push(`Pensado para ${a.audience}${a.niche ? ` amantes de ${a.niche}` : ''}.`);
        else if (a.niche) parts.push(`Imprescindible para quien ama ${a.niche}.`);
      }
      parts.push(CTA[tone]);
      return parts.filter(Boolean).join(' ');
    },
    plan: (a) => [
      `Día 1: publica el gancho 1 en un vídeo de 15 segundos mostrando ${a.title} en uso.`,
      `Día 2: publica el gancho 2 con el precio${a.pct ? ' y el descuento' : ''} en pantalla.`,
      'Día 3: publica el gancho 3 y responde en vídeo al comentario más frecuente.',
      'Día 5: fija el vídeo con mejores resultados y reutilízalo como Spark Ad.',
    ],
    emailSubjects: (a) => [
      `Novedad: ${a.title}`,
      a.pct ? `${a.title}: ${off(a)} mientras dure` : `${a.title} acaba de llegar`,
      `Por qué todo el mundo habla de ${a.title}`,
    ],
  },
  updated: {
    title(kind, a) {
      switch (kind) {
        case 'priceDrop':
          return `${a.title} baja de precio: cuéntaselo a tu audiencia`;
        case 'priceRise':
          return `${a.title} sube de precio: actualiza su texto`;
        case 'backInStock':
          return `${a.title} vuelve a estar disponible: anúncialo`;
        case 'soldOut':
          return `${a.title} se agotó: pasa a lista de espera`;
        case 'stockChange':
          return `Cambiaron las existencias de ${a.title}`;
        case 'published':
          return `${a.title} ya está publicado: es hora de promocionarlo`;
        case 'unpublished':
          return `${a.title} ya no está activo: pausa su promoción`;
        default:
          return `${a.title} se actualizó: renueva su texto`;
      }
    },
    field: (f) =>
      ({
        title: 'Título',
        price: 'Precio',
        compareAt: 'Precio de comparación',
        discount: 'Descuento',
        status: 'Estado',
        tags: 'Etiquetas',
        productType: 'Tipo de producto',
        vendor: 'Proveedor',
        description: 'Descripción',
        inventory: 'Inventario',
        variants: 'Variantes',
      })[f],
    noPrevious: 'No había una versión anterior con la que comparar; estos son los campos que importan ahora:',
    descriptionChanged: 'reescrita',
    copy(tone, kind, a) {
      const cta = CTA[tone];
      switch (kind) {
        case 'priceDrop':
          return `Bajada de precio: ${a.title} ahora cuesta ${priceWord(a)}${a.pct ? ` (${off(a)})` : ''}. ${cta}`;
        case 'priceRise':
          return `${a.title}, ahora ${priceWord(a)}: ${a.description ? sentence(a.description) : 'hecho para durar, y sigue valiendo la pena.'} ${cta}`;
        case 'backInStock':
          return `${a.title} vuelve a estar disponible${a.inventory !== undefined ? ` (${a.inventory} unidades)` : ''}. Esta vez no te lo pierdas. ${cta}`;
        case 'soldOut':
          return `${a.title} se agotó. Únete a la lista de espera para enterarte primero cuando vuelva.`;
        case 'stockChange':
          return a.inventory !== undefined && a.inventory <= 20
            ? `Solo quedan ${a.inventory} de ${a.title}. ${cta}`
            : `${a.title} está disponible y listo para enviar. ${cta}`;
        case 'published':
          return `${a.title} ya está disponible${a.price ? ` por ${priceWord(a)}` : ''}. ${cta}`;
        case 'unpublished':
          return `Nota interna: ${a.title} ya no está activo. Pausa los anuncios y las publicaciones programadas que enlazan a él.`;
        default:
          return `${a.title}: detalles nuevos, el mismo favorito de siempre.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
      }
    },
  },
  deleted: {
    title: (name) => `Limpieza tras eliminar ${name}`,
    steps: (name, handle) => [
      handle
        ? `Redirige /products/${handle} a una colección relacionada (Tienda online > Navegación > Redirecciones de URL) para que los enlaces y anuncios antiguos no den un 404.`
        : `Crea una redirección desde la antigua página de ${name} a una colección relacionada para que los enlaces y anuncios antiguos no den un 404.`,
      `Pausa los anuncios y las publicaciones programadas que enlazan a ${name}.`,
      `Quita ${name} de los flujos de correo, los packs y las reglas de descuento.`,
      `Revisa las colecciones, los menús y las entradas del blog que mostraban ${name}.`,
      'Avisa a quienes esperaban su reposición y a los clientes con pedidos abiertos.',
    ],
  },
  collection: {
    title: (a, updated) =>
      updated ? `Plan de renovación de la colección ${a.title}` : `Plan de lanzamiento de la colección ${a.title}`,
    summary: (a) =>
      `${a.title} ${a.published ? (a.scope === 'global' ? 'está publicada en todos los canales de venta' : 'está publicada en la tienda online') : 'aún no está publicada'}${a.handle ? ` (/collections/${a.handle})` : ''}.`,
    launchSteps: (a) => [
      {
        when: 'Día -3',
        action: `Crea expectación con ${a.title}: un vídeo de 10 segundos de una pieza con «muy pronto» y la fecha.`,
      },
      {
        when: 'Día -1',
        action: `Correo y SMS a suscriptores: acceso anticipado a ${a.title} con un avance de tres piezas.`,
      },
      {
        when: 'Día 0',
        action: `Publica el anuncio de abajo, fíjalo y pon ${a.title} en el banner de la página de inicio.`,
      },
      { when: 'Día +3', action: `Comparte las primeras reseñas o fotos de clientes de ${a.title}.` },
      { when: 'Día +7', action: `Resume los más vendidos de ${a.title} y haz retargeting a quien visitó sin comprar.` },
      {
        when: 'Día +14',
        action: `Revisa visitas, conversión y más vendidos de ${a.title}; decide qué reponer o rebajar.`,
      },
    ],
    refreshSteps: (a) => [
      { when: 'Hoy', action: `Reordena ${a.title}: primero los más vendidos y las novedades.` },
      { when: 'Hoy', action: `Actualiza el banner y la descripción de ${a.title} según el cambio.` },
      { when: 'Esta semana', action: `Publica «novedades en ${a.title}» con los tres productos más nuevos.` },
      {
        when: 'La semana que viene',
        action: `Escribe a los suscriptores que vieron ${a.title} para contarles la novedad.`,
      },
    ],
    announcement(tone, a, updated) {
      const cta = CTA[tone];
      if (updated) return `Acaban de llegar novedades a ${a.title}. ${cta}`;
      switch (tone) {
        case 'professional':
          return `Presentamos ${a.title}, nuestra nueva colección. ${cta}`;
        case 'playful':
          return `¡Alerta de novedad: acaba de aterrizar la colección ${a.title}! ${cta}`;
        case 'bold':
          return `${a.title}. La nueva colección. Ya disponible. ${cta}`;
        default:
          return `Ya está aquí nuestra nueva colección ${a.title}, y creemos que te va a encantar. ${cta}`;
      }
    },
  },
  inventory: {
    title: (a) =>
      a.coverDays !== undefined
        ? `Repón ${a.name}: quedan existencias para ${a.coverDays} días`
        : `Repón ${a.name}: existencias bajas`,
    facts: (a) => [
      a.available !== undefined
        ? `Disponibles: ${a.available} unidades${a.location ? ` en la ubicación ${a.location}` : ''}.`
        : 'Disponibles: desconocido (el evento no traía la cantidad); las cifras de abajo suponen 0.',
      a.unitsPerDay !== undefined
        ? `Ventas recientes: ${a.unitsPerDay} unidades/día${a.windowDays ? ` en los últimos ${a.windowDays} días` : ''}.`
        : 'Ventas recientes: desconocidas; aún no se pueden calcular los días de cobertura.',
      ...(a.coverDays !== undefined
        ? [`Días de cobertura: ${a.coverDays}${a.runsOutOn ? ` (se agota hacia el ${a.runsOutOn})` : ''}.`]
        : []),
    ],
    order: (a) =>
      a.quantityValue > 0
        ? `Pide **${a.quantity} unidades** de ${a.name}.`
        : `Aún no hace falta reponer ${a.name}: las existencias cubren el plazo de entrega, el próximo ciclo y el stock de seguridad.`,
    needVelocity: (a) =>
      `Para calcular cuánto pedir de ${a.name}, Lookout necesita sus ventas diarias recientes; esta es la regla que aplicará:`,
    formula: (a) =>
      `Fórmula: cantidad a pedir = ceil(ventas diarias × (plazo de entrega + ciclo de reposición + días de seguridad)) − disponibles = ${a.worked}.`,
    reorderPoint: (a) =>
      `Punto de pedido: ${a.reorderPoint} unidades (ventas diarias × (plazo de entrega + días de seguridad)); ${a.belowReorderPoint ? 'estás por debajo, así que pide ya.' : 'aún estás por encima.'}`,
    assumptions: (a) =>
      `Supuestos: plazo de entrega del proveedor de ${a.leadTimeDays} días, ${a.safetyStockDays} días de stock de seguridad, cada pedido cubre ${a.cycleDays} días de ventas.`,
    meanwhile(tone, a) {
      const urgency: Record<Tone, string> = {
        friendly: `Publica un aviso cercano: «Solo quedan ${a.available ?? 'unas pocas'} de ${a.name}».`,
        professional: `Muestra un aviso de pocas existencias en la página de ${a.name} para fijar expectativas.`,
        playful: `Convierte la escasez en juego: «${a.name} casi se acaba. Si parpadeas, te lo pierdes».`,
        bold: `Dilo claro: «${a.name}: últimas ${a.available ?? ''} unidades».`.replace('  ', ' '),
      };
      const steps = [urgency[tone]];
      if (a.runsOutBeforeDelivery) {
        steps.push(
          `Se agotará antes de que pueda llegar un pedido nuevo (plazo de ${a.leadTimeDays} días): pausa los anuncios de ${a.name} y activa los avisos de reposición.`,
        );
      }
      steps.push('Pregunta al proveedor si puede adelantar parte del pedido.');
      return steps;
    },
  },
  order: {
    title: (a) =>
      a.cancelled
        ? `Recupera al cliente del pedido cancelado ${a.orderName} (${a.topItem})`
        : `Seguimiento del pedido ${a.orderName} (${a.topItem}${a.otherItems > 0 ? ` y ${a.otherItems} más` : ''})`,
    messageHeading: (a) => `Mensaje para ${a.firstName ?? 'el cliente'}`,
    message(tone, a) {
      const name = a.firstName;
      const more = a.otherItems > 0 ? ` y ${a.otherItems} artículo${a.otherItems > 1 ? 's' : ''} más` : '';
      const greeting: Record<Tone, string> = {
        friendly: name ? `¡Hola, ${name}!` : '¡Hola!',
        professional: name ? `Estimado/a ${name}:` : 'Hola:',
        playful: name ? `¡Ey, ${name}!` : '¡Ey!',
        bold: name ? `${name}:` : 'Hola:',
      };
      const body: Record<Tone, string> = a.cancelled
        ? {
            friendly: `Hemos visto que el pedido ${a.orderName} se canceló. Si algo no fue bien, respóndenos y cuéntanoslo: nos encantaría arreglarlo. Tu ${a.topItem} te espera cuando quieras.`,
            professional: `Hemos procesado la cancelación del pedido ${a.orderName}. Si algo de su experiencia no estuvo a la altura, responda a este mensaje: sus comentarios nos ayudan a mejorar. ${a.topItem} sigue disponible cuando lo necesite.`,
            playful: `El pedido ${a.orderName} se canceló y, la verdad, tu ${a.topItem} está un poco triste. ¿Cambiaste de idea? Sigue aquí. ¿Algo salió mal? Respóndenos.`,
            bold: `El pedido ${a.orderName} se canceló. Si fallamos en algo, dínoslo. ${a.topItem} sigue aquí cuando quieras.`,
          }
        : {
            friendly: `¡Muchas gracias por tu pedido ${a.orderName}! Estamos preparando con mimo tu ${a.topItem}${more}. ¿Alguna pregunta? Responde a este mensaje: estaremos encantados de ayudarte.`,
            professional: `Gracias por su pedido ${a.orderName}. Estamos preparando su ${a.topItem}${more} y le avisaremos en cuanto salga. Responda a este mensaje si podemos ayudarle en algo.`,
            playful: `Tu ${a.topItem}${more} acaba de recibir una gran noticia: ¡se va a casa contigo! El pedido ${a.orderName} ya está en marcha. ¿Dudas? Responde aquí.`,
            bold: `Pedido ${a.orderName} confirmado. Tu ${a.topItem}${more} sale pronto. ¿Dudas? Responde aquí.`,
          };
      const ps = a.pairing && !a.cancelled ? `\n\nP. D.: ${a.pairing} combina muy bien con tu ${a.topItem}.` : '';
      return `${greeting[tone]}\n\n${body[tone]}${ps}\n\n${a.signOff ?? 'El equipo'}`;
    },
    crossSellReason: (kind, detail) =>
      ({
        type: `mismo tipo de producto (${detail})`,
        vendor: `también de ${detail}`,
        tag: `comparte la etiqueta «${detail}»`,
        price: `un complemento asequible por ${detail}`,
      })[kind],
    crossSellGeneric: (a) => [
      `Ofrece un pack: ${a.topItem} y un accesorio a juego con un 10% de descuento durante los próximos 14 días.`,
      `Añade un bloque «completa el look» con productos de la colección de ${a.topItem} al correo de confirmación de envío.`,
      'Añade en el carrito una venta adicional con el complemento más habitual de este producto, para que el próximo cliente lo vea antes de pagar.',
    ],
  },
  batch: {
    title: (count, first, updated) =>
      updated
        ? `${count} productos actualizados, entre ellos ${first}`
        : `${count} productos nuevos: empieza por ${first}`,
    intro: (count, updated) =>
      updated
        ? `${count} productos cambiaron a la vez (una importación o una edición masiva). Primero aparecen los de mayor precio.`
        : `Llegaron ${count} productos a la vez (una importación o una edición masiva). Mejor promocionar bien unos pocos que todos a la vez.`,
    plan: (top, largest) => [
      `Esta semana: publica ganchos de TikTok para ${top.slice(0, 3).join(', ')}.`,
      ...(largest
        ? [
            `Agrupa el tipo de producto más numeroso (${largest.type}, ${largest.count} productos) en una colección y anúnciala.`,
          ]
        : []),
      'Programa el resto a uno o dos productos al día en lugar de una gran publicación.',
      'Antes de promocionar, comprueba que cada producto tiene imagen, descripción y precio.',
    ],
  },
};
