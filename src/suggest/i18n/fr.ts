/** Français. Les textes destinés aux clients vouvoient, sauf les tons playful et bold (tutoiement). */

import { sentence } from '../eventTypes/productFacts.js';
import type { Catalogue } from './catalogue.js';
import type { ProductPhraseArgs } from './texts.js';

const priceWord = (a: ProductPhraseArgs) => `${a.priceFrom ? 'à partir de ' : ''}${a.price}`;
const off = (a: ProductPhraseArgs) => `${a.upTo ? "jusqu'à " : ''}-${a.off}`;
const by = (a: ProductPhraseArgs) => (a.vendor ? ` par ${a.vendor}` : '');
const plural = (n: string, one: string, many: string) => (n === '1' || n === '0' ? one : many);
const de = (name: string) => (/^[aeiouyhéèêàâîôûAEIOUYHÉÈÊÀÂÎÔÛ]/.test(name) ? `d'${name}` : `de ${name}`);

const CTA = {
  friendly: 'Le lien est dans la bio.',
  playful: 'Lien en bio, fonce !',
  refined: 'À découvrir via le lien en bio.',
  professional: 'Disponible via le lien en bio.',
  minimal: 'Lien en bio.',
  bold: 'Lien en bio. Fonce.',
} as const;

export const fr: Catalogue = {
  language: 'fr',
  common: {
    cta: CTA,
    genericKind: 'pièce',
    unnamedProduct: (id) => (id ? `le produit ${id}` : 'le produit'),
    unapplied: {
      heading: 'Réglages non appliqués',
      language: (requested, used) =>
        `Langue : ${requested} n'existe pas dans les modèles hors ligne, ce texte est donc rédigé en ${used}.`,
      tone: (requested, used, available) =>
        `Ton : « ${requested} » ne fait pas partie des tons hors ligne (${available}), le ton ${used} a été utilisé.`,
      llm: 'Connectez un modèle de langage (LOOKOUT_LLM_BASE_URL et LOOKOUT_LLM_MODEL) pour écrire dans toutes les langues et tous les tons.',
    },
  },

  productCreated: {
    title: (a) => `Contenu de lancement pour ${a.title}`,
    headings: {
      hooks: 'Accroches TikTok',
      caption: 'Légende',
      copy: 'Texte produit',
      plan: 'Plan de publication',
      emailSubjects: "Objets d'e-mail",
    },
    hooks: {
      friendly: (a) => [
        `Vous venez de trouver votre nouvelle pièce préférée : ${a.title}.`,
        a.off
          ? `${a.title} est à ${off(a)} en ce moment. Voici pourquoi il vaut le détour.`
          : `3 raisons d'adopter ${a.title}.`,
        a.vendor ? `Fait par ${a.vendor}, adoré par nous : voici ${a.title}.` : `Voici ${a.title}, notre nouveauté.`,
      ],
      playful: (a) => [
        `Rebondissement : ta prochaine pièce préférée vient d'arriver. Dis bonjour à ${a.title} !`,
        a.off
          ? `${off(a)} ?! ${a.title} te dit : fais-toi plaisir.`
          : `Attention : ${a.title} peut provoquer des compliments.`,
        `Dis-moi que tu as besoin ${de(a.title)} sans me dire que tu as besoin ${de(a.title)}.`,
      ],
      refined: (a) => [
        `${a.title} : pensé pour durer.`,
        a.off && a.compareAt
          ? `${a.title}, désormais ${priceWord(a)} au lieu de ${a.compareAt}.`
          : `${a.title}, vu de près.`,
        `Les détails ${de(a.title)}.`,
      ],
      professional: (a) => [
        `Désormais disponible : ${a.title}${by(a)}.`,
        a.off
          ? `${a.title}, désormais ${priceWord(a)} (${off(a)}).`
          : a.price
            ? `${a.title} : un design soigné, ${priceWord(a)}.`
            : `${a.title} : les détails qui comptent.`,
        `Trois détails qui distinguent ${a.title}.`,
      ],
      minimal: (a) => [
        `${a.title}.`,
        a.price ? `${a.title}. ${priceWord(a)}.` : `${a.title}. En boutique.`,
        `Nouveau : ${a.title}.`,
      ],
      bold: (a) => [
        `Arrête de scroller. ${a.title} est là.`,
        a.off
          ? `${a.title} à ${off(a)}. Aucune excuse.`
          : a.price
            ? `${a.title}. ${priceWord(a)}. Chaque euro en vaut la peine.`
            : `${a.title}. Rien ne lui arrive à la cheville.`,
        `La seule pièce dont tu as besoin cette saison : ${a.title}.`,
      ],
    },
    caption: {
      friendly: (a) => `${a.title} est arrivé${a.off ? `, et il est à ${off(a)}` : ''} !`,
      playful: (a) => `Alerte nouveauté : ${a.title}${a.off ? ` (${off(a)}, de rien)` : ''} !`,
      refined: (a) => `${a.title}${a.price ? `, ${priceWord(a)}` : ''}.`,
      professional: (a) => `Nouveau : ${a.title}${a.price ? `, ${priceWord(a)}` : ''}${a.off ? ` (${off(a)})` : ''}.`,
      minimal: (a) => `${a.title}${a.price ? `. ${priceWord(a)}` : ''}.`,
      bold: (a) => `${a.title}. Disponible maintenant${a.off ? `. ${off(a)}` : ''}.`,
    },
    copy: {
      friendly: (a, length) =>
        [
          `Voici ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Désormais ${priceWord(a)} au lieu de ${a.compareAt} : vous économisez ${a.upTo ? "jusqu'à " : ''}${a.off}.`
            : a.price
              ? `À vous pour ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Au choix : ${a.options}.` : '',
          length !== 'short' ? 'Nous pensons que vous allez l’adorer.' : '',
        ]
          .filter(Boolean)
          .join(' '),
      playful: (a, length) =>
        [
          `Voici ${a.title}, ta nouvelle obsession.`,
          a.off && a.compareAt
            ? `Avant : ${a.compareAt}. Maintenant : ${priceWord(a)}. Les maths n'ont jamais été aussi belles.`
            : a.price
              ? `À toi pour ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Choisis ton préféré : ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      refined: (a, length) =>
        [
          `${a.title}${a.vendor ? `, par ${a.vendor}` : ''}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt
            ? `Désormais ${priceWord(a)}, auparavant ${a.compareAt}.`
            : a.price
              ? `${a.priceFrom ? 'À partir de' : 'Au prix de'} ${a.price}.`
              : '',
          length !== 'short' && a.options ? `Disponible en ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      professional: (a, length) =>
        [
          `Découvrez ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Désormais ${priceWord(a)} au lieu de ${a.compareAt} (${off(a)}).`
            : a.price
              ? `Disponible ${priceWord(a)}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Tailles et variantes : ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      minimal: (a, length) =>
        [
          `${a.title}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt ? `${priceWord(a)} (au lieu de ${a.compareAt}).` : a.price ? `${priceWord(a)}.` : '',
          length !== 'short' && a.options ? `${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      bold: (a, length) =>
        [
          `${a.title} est là.`,
          a.off && a.compareAt
            ? `${priceWord(a)}. C'était ${a.compareAt}. Ne traîne pas.`
            : a.price
              ? `${priceWord(a)}. Point.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `À toi de choisir : ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
    },
    plan: (a) => [
      `Jour 1 : publiez l'accroche 1 en courte vidéo montrant ${a.title} porté ou utilisé.`,
      `Jour 2 : publiez l'accroche 2 avec le prix${a.off ? ' et la remise' : ''} à l'écran.`,
      "Jour 3 : publiez l'accroche 3 et répondez en vidéo au commentaire le plus fréquent.",
      'Jour 5 : épinglez la vidéo la plus performante et réutilisez-la en Spark Ad.',
    ],
    emailSubjects: (a) => [
      `Nouveau : ${a.title}`,
      a.off ? `${a.title}, désormais à ${off(a)}` : `${a.title} vient d'arriver`,
      `${a.title}, vu de près`,
    ],
  },

  productUpdated: {
    title: (kind, a) =>
      ({
        priceDrop: `Baisse de prix sur ${a.title} : faites-le savoir`,
        priceRise: `${a.title} coûte plus cher : mettez son texte à jour`,
        backInStock: `${a.title} est de retour en stock : annoncez-le`,
        soldOut: `${a.title} est épuisé : passez à une liste d'attente`,
        stockChange: `Le stock ${de(a.title)} a changé`,
        published: `${a.title} est en ligne : c'est le moment d'en parler`,
        unpublished: `${a.title} n'est plus actif : suspendez sa promotion`,
        details: `${a.title} a été modifié : rafraîchissez son texte`,
      })[kind],
    field: {
      title: 'Titre',
      price: 'Prix',
      compareAt: 'Prix barré',
      discount: 'Remise',
      status: 'Statut',
      tags: 'Tags',
      productType: 'Type de produit',
      vendor: 'Marque',
      description: 'Description',
      inventory: 'Stock',
      variants: 'Variantes',
    },
    headings: { changes: 'Ce qui a changé', notable: 'Où il en est', copy: 'Texte' },
    comparedWith: (basis, when, updates) =>
      basis === 'burst'
        ? `${updates} modifications rapides depuis ${when} : la première comparée à la dernière.`
        : `Comparé à la version enregistrée par Lookout le ${when}${updates > 1 ? ` (${updates} mises à jour depuis)` : ''}.`,
    firstSeen: (title) => `C'est la première version ${de(title)} que Lookout voit : rien à comparer pour l'instant.`,
    descriptionChanged: 'réécrite',
    copy: (kind, tone, a) => {
      const restrained = tone === 'refined' || tone === 'professional' || tone === 'minimal';
      const cta = CTA[tone];
      switch (kind) {
        case 'priceDrop':
          return restrained
            ? `${a.title} est désormais à ${priceWord(a)}${a.compareAt ? `, auparavant ${a.compareAt}` : ''}. ${cta}`
            : `Baisse de prix : ${a.title} passe à ${priceWord(a)}${a.off ? ` (${off(a)})` : ''}. ${cta}`;
        case 'priceRise':
          return `${a.title}, désormais ${priceWord(a)}.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
        case 'backInStock':
          return `${a.title} est de retour en stock${a.inventory ? ` (${a.inventory} disponibles)` : ''}. ${cta}`;
        case 'soldOut':
          return `${a.title} est épuisé. Inscrivez-vous à la liste d'attente pour être prévenu de son retour.`;
        case 'stockChange':
          return `${a.title} est en stock et prêt à être expédié. ${cta}`;
        case 'published':
          return `${a.title} est en ligne${a.price ? `, ${priceWord(a)}` : ''}. ${cta}`;
        case 'unpublished':
          return `Note interne : ${a.title} n'est plus actif. Suspendez les publicités et publications programmées qui y renvoient.`;
        default:
          return `${a.title} : du nouveau.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
      }
    },
  },

  productDeleted: {
    title: (name) => `Ménage après la suppression ${de(name)}`,
    heading: 'Liste de contrôle',
    unknown: (id) => `Lookout n'a jamais enregistré de version du produit ${id} : son nom et sa page sont inconnus.`,
    steps: (name, handle) => [
      handle
        ? `Redirigez /products/${handle} vers une collection proche (Boutique en ligne > Navigation > Redirections d'URL) pour que les anciens liens et publicités n'aboutissent pas sur une « page introuvable ».`
        : `Ajoutez une redirection de l'ancienne page ${de(name)} vers une collection proche pour que les anciens liens et publicités n'aboutissent pas sur une « page introuvable ».`,
      `Suspendez les publicités et publications programmées qui renvoient vers ${name}.`,
      `Retirez ${name} des séquences d'e-mails, des lots et des règles de remise.`,
      `Vérifiez les collections, menus et articles de blog qui mettaient en avant ${name}.`,
      'Prévenez les abonnés aux alertes de retour en stock et les clients avec une commande en cours.',
    ],
  },

  collection: {
    title: (a, updated) =>
      updated ? `Plan de relance de la collection ${a.title}` : `Plan de lancement de la collection ${a.title}`,
    summary: (a) =>
      `${a.title} est ${a.published ? 'publiée' : 'pas encore publiée'}${a.handle ? ` (/collections/${a.handle})` : ''}.`,
    headings: { plan: 'Plan', announcement: 'Annonce', members: 'Produits' },
    memberBasis: {
      rule: (detail, count) =>
        `${count} ${plural(count, 'produit enregistré correspond', 'produits enregistrés correspondent')} à la règle de la collection (${detail}) :`,
      tag: (detail, count) =>
        `${count} ${plural(count, 'produit enregistré porte', 'produits enregistrés portent')} le tag « ${detail} » :`,
      recent: (_detail, count) =>
        `Le webhook de la collection ne liste aucun produit ; ces ${count} produits ont été créés juste avant elle. Vérifiez qu'ils en font partie :`,
      admin: (_detail, count) =>
        `${count} ${plural(count, 'produit', 'produits')} dans la collection (API Admin Shopify) :`,
    },
    noMembers: (a) =>
      `Lookout n'a encore vu aucun produit pour ${a.title} : ajoutez des produits avant de l'annoncer, ou donnez-leur le tag « ${a.handle ?? a.title} ».`,
    steps: {
      announce: (a) =>
        `Publiez l'annonce ci-dessous, épinglez-la et mettez ${a.title} dans la bannière de la page d'accueil.`,
      stories: (a) =>
        `Stories : un produit par jour ${de(a.title)}${a.highlights ? `, en commençant par ${a.highlights}` : ''}.`,
      socialProof: (a) => `Partagez les premiers avis ou photos clients ${de(a.title)}.`,
      recap: (a) =>
        `Envoyez par e-mail un récapitulatif des meilleures ventes ${de(a.title)} ; reciblez les visiteurs qui n'ont pas acheté.`,
      review: (a) =>
        `Analysez sessions, conversion et meilleures ventes ${de(a.title)} ; décidez quoi réassortir ou remiser.`,
      prepare: (a) =>
        `Vérifiez que chaque produit ${de(a.title)} a des photos, une description et un prix, puis réglez son titre SEO.`,
      tease: (a) => `Teasez ${a.title} : une courte vidéo d'une pièce avec « bientôt » et la date.`,
      earlyAccess: (a) =>
        `Offrez aux abonnés un accès anticipé à ${a.title}${a.highlights ? ` avec un aperçu de ${a.highlights}` : ''}.`,
      publish: (a) => `Publiez ${a.title}, puis l'annonce ci-dessous, et épinglez-la.`,
      reorder: (a) => `Réordonnez ${a.title} : meilleures ventes et nouveautés d'abord ; mettez à jour sa bannière.`,
      whatsNew: (a) => `Publiez les nouveautés ${de(a.title)}${a.highlights ? ` : ${a.highlights}` : ''}.`,
      emailViewers: (a) => `Écrivez aux abonnés qui ont consulté ${a.title} pour annoncer la mise à jour.`,
    },
    announcement: {
      friendly: (a, updated) =>
        updated
          ? `Des nouveautés viennent d'arriver dans ${a.title}${a.highlights ? ` : ${a.highlights}` : ''}. Le lien est dans la bio.`
          : `Notre nouvelle collection ${a.title} est là${a.highlights ? `, avec ${a.highlights}${a.more ? ', entre autres' : ''}` : ''}. Nous pensons qu'elle va vous plaire. Le lien est dans la bio.`,
      playful: (a, updated) =>
        updated
          ? `${a.title} s'est refait une beauté${a.highlights ? ` : dis bonjour à ${a.highlights}` : ''} ! Lien en bio.`
          : `Alerte nouveauté : ${a.title} vient d'arriver${a.highlights ? ` avec ${a.highlights}` : ''} ! Lien en bio, fonce !`,
      refined: (a, updated) =>
        updated
          ? `De nouvelles pièces rejoignent ${a.title}${a.highlights ? ` : ${a.highlights}` : ''}. À découvrir via le lien en bio.`
          : `Voici ${a.title}${a.highlights ? ` : ${a.highlights}` : ''}. La collection est à découvrir via le lien en bio.`,
      professional: (a, updated) =>
        updated
          ? `${a.title} a été enrichie${a.highlights ? ` ${de(a.highlights)}` : ''}. Disponible via le lien en bio.`
          : `Découvrez ${a.title}, notre nouvelle collection${a.highlights ? `, avec ${a.highlights}` : ''}. Disponible via le lien en bio.`,
      minimal: (a, updated) =>
        updated ? `${a.title} : nouvelles pièces. Lien en bio.` : `${a.title}. En ligne. Lien en bio.`,
      bold: (a, updated) =>
        updated
          ? `${a.title} vient de passer un cap. Lien en bio. Fonce.`
          : `${a.title}. La nouvelle collection. Disponible maintenant. Lien en bio.`,
    },
  },

  inventoryLow: {
    title: (a) =>
      a.soldOut
        ? `${a.name} est épuisé : réassort immédiat`
        : a.cover
          ? `Réassort ${de(a.name)} : environ ${a.cover} jours de stock`
          : `Réassort ${de(a.name)} : plus que ${a.available}`,
    headings: { stock: 'Stock', sales: 'Ventes', reorder: 'Réassort', meanwhile: 'En attendant' },
    available: (a) =>
      a.soldOut
        ? `${a.name} est épuisé : 0 disponible.`
        : `${a.available} ${plural(a.available, 'unité disponible', 'unités disponibles')} pour ${a.name}.`,
    previousAlert: (a) =>
      `Lookout a alerté le ${a.previousAt}${a.previousAvailable ? ` à ${a.previousAvailable} ${plural(a.previousAvailable, 'unité', 'unités')}` : ''} ; ${a.soldOut ? "l'article est maintenant épuisé" : 'le stock est plus bas'}.`,
    sources: {
      stored_orders: 'd’après les commandes enregistrées par Lookout',
      admin_api: "d'après l'API Admin Shopify",
    },
    sales: (a) =>
      a.units
        ? `${a.units} ${plural(a.units, 'unité vendue', 'unités vendues')} sur les ${a.days} derniers jours (${a.orders} ${plural(a.orders ?? '', 'commande', 'commandes')}, ${a.source}) : ${a.perDay} par jour.`
        : `Ventes récentes : ${a.perDay} par jour.`,
    noSales: (a) => `Aucune vente ${de(a.name)} sur les ${a.days} derniers jours (${a.source}).`,
    noData: (a) =>
      `Lookout n'a pas encore de données de vente pour ${a.name} : connectez l'API Admin ou attendez les premières commandes.`,
    cover: (a) =>
      `À ce rythme, le stock tient environ ${a.cover} jours${a.runsOutOn ? `, jusqu'au ${a.runsOutOn}` : ''}.`,
    order: (a) => `Commandez **${a.quantity} unités** ${de(a.name)}.`,
    noOrderNeeded: (a) =>
      `Pas de réassort nécessaire pour ${a.name} : le stock couvre le délai de livraison, le prochain cycle et le stock de sécurité.`,
    formula: (a) =>
      `Calcul : arrondi supérieur de (${a.units} vendues × (${a.leadTime} délai + ${a.cycle} cycle + ${a.safety} sécurité) ÷ ${a.days} jours) − ${a.available} en stock = ${a.target} − ${a.available} = ${a.quantity}.`,
    reorderPoint: (a) =>
      `Point de commande : ${a.reorderPoint} unités (ventes sur le délai de livraison plus les jours de sécurité) ; ${a.belowReorderPoint ? 'vous êtes en dessous, commandez maintenant.' : 'vous êtes encore au-dessus.'}`,
    assumptions: (a) =>
      `Hypothèses : délai fournisseur de ${a.leadTime} jours, ${a.safety} jours de stock de sécurité, chaque commande couvre ${a.cycle} jours de ventes.`,
    zeroSalesAdvice: (a) =>
      `Sans ventes récentes, les ${a.available} en stock ne s'épuisent pas : ne recommandez que si vous attendez de la demande (promotion, saison).`,
    meanwhile: {
      friendly: (a) =>
        a.soldOut
          ? `Publiez un petit mot : « ${a.name} est épuisé, il revient bientôt. »`
          : `Prévenez gentiment : « Plus que ${a.available} ${a.name}. »`,
      playful: (a) =>
        a.soldOut
          ? `« ${a.name} a quitté le bâtiment (pour l'instant). » Activez une liste d'attente.`
          : `Jouez la rareté : « ${a.name} a presque disparu. Cligne des yeux et c'est fini. »`,
      refined: (a) =>
        a.soldOut
          ? `Proposez de réserver ${a.name} aux clients qui le demandent.`
          : `Indiquez discrètement sur la page ${de(a.name)} qu'il en reste peu.`,
      professional: (a) =>
        a.soldOut
          ? `Affichez « épuisé » sur la page ${de(a.name)} et recueillez les demandes de retour en stock.`
          : `Affichez un avis de stock faible sur la page ${de(a.name)}.`,
      minimal: (a) => (a.soldOut ? `Marquez ${a.name} comme épuisé.` : `Sur la page : plus que ${a.available}.`),
      bold: (a) =>
        a.soldOut
          ? `Dites-le franchement : « ${a.name} : épuisé. Retour bientôt. »`
          : `Dites-le franchement : « ${a.name} : les ${a.available} derniers. »`,
    },
    beforeDelivery: (a) =>
      `Le stock sera épuisé avant qu'une livraison puisse arriver (délai de ${a.leadTime} jours) : suspendez les publicités pour ${a.name} et activez les alertes de retour en stock.`,
    askSupplier: () => 'Demandez au fournisseur si une partie de la commande peut être expédiée plus tôt.',
  },

  orderCreated: {
    title: {
      test: (a) => `Commande test ${a.orderName} : vérifiez le paiement, aucun client à contacter`,
      cancelled: (a) => `La commande ${a.orderName} a été annulée : un mot pour ${a.firstName ?? 'le client'}`,
      firstTime: (a) =>
        `Première commande de ${a.firstName ?? 'un nouveau client'} (${a.orderName}) : souhaitez-lui la bienvenue`,
      repeat: (a) => `${a.firstName ?? 'Un client fidèle'} a recommandé (${a.orderName}) : remerciez-le`,
      plain: (a) =>
        `Suivi de la commande ${a.orderName} (${a.topItem}${a.otherItems ? ` et ${a.otherItems} autre(s)` : ''})`,
    },
    headings: {
      message: (a) => `Message à ${a.firstName ?? 'la cliente ou au client'}`,
      crossSell: 'Vente croisée',
      checks: 'Vérifications',
      customer: 'Client',
    },
    message: {
      firstTime: {
        friendly: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nbienvenue, et merci pour votre première commande (${a.orderName}) ! Votre ${a.topItem} est préparé avec soin. Une question ? Répondez simplement à ce message.`,
        playful: (a) =>
          `Coucou${a.firstName ? ` ${a.firstName}` : ''} !\n\nPremière commande, et tu as choisi ${a.topItem}. Quel goût ! La commande ${a.orderName} est en préparation. Une question ? Réponds ici.`,
        refined: (a) =>
          `Chère cliente, cher client${a.firstName ? ` ${a.firstName}` : ''},\n\nnous vous remercions pour votre première commande, ${a.orderName}. Votre ${a.topItem} est préparé avec le plus grand soin. Pour toute demande, il vous suffit de répondre à ce message.`,
        professional: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci pour votre première commande (${a.orderName}). Nous préparons votre ${a.topItem} et vous préviendrons dès son expédition. Répondez à ce message si nous pouvons vous aider.`,
        minimal: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci pour votre première commande, ${a.orderName}.`,
        bold: (a) =>
          `${a.firstName ?? 'Salut'},\n\nbienvenue à bord. Commande ${a.orderName} confirmée : ton ${a.topItem} part bientôt.`,
      },
      repeat: {
        friendly: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nquel plaisir de vous revoir ! Merci pour la commande ${a.orderName} : votre ${a.topItem} est préparé avec soin. Une question ? Répondez simplement.`,
        playful: (a) =>
          `Coucou${a.firstName ? ` ${a.firstName}` : ''}, te revoilà !\n\nLa commande ${a.orderName} (bonjour, ${a.topItem}) est en préparation. On est un tout petit peu ravis.`,
        refined: (a) =>
          `Chère cliente, cher client${a.firstName ? ` ${a.firstName}` : ''},\n\nc'est un plaisir de vous retrouver. Votre commande ${a.orderName} est préparée avec soin. Pour toute demande, répondez simplement à ce message.`,
        professional: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci de votre nouvelle commande (${a.orderName}). Nous préparons votre ${a.topItem} et vous confirmerons son expédition.`,
        minimal: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci pour cette nouvelle commande, ${a.orderName}.`,
        bold: (a) =>
          `${a.firstName ?? 'Salut'},\n\nde retour pour plus. Respect. La commande ${a.orderName} part bientôt.`,
      },
      cancelled: {
        friendly: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nnous avons vu que la commande ${a.orderName} a été annulée. Si quelque chose n'allait pas, dites-le-nous en répondant à ce message : nous serions ravis de vous aider. ${a.topItem} vous attend quand vous voulez.`,
        playful: (a) =>
          `Coucou${a.firstName ? ` ${a.firstName}` : ''},\n\nla commande ${a.orderName} a été annulée, et ${a.topItem} a un petit coup de blues. Changement d'avis ? Un souci ? Réponds ici.`,
        refined: (a) =>
          `Chère cliente, cher client${a.firstName ? ` ${a.firstName}` : ''},\n\nvotre commande ${a.orderName} a été annulée. Si quoi que ce soit n'a pas été à la hauteur de vos attentes, nous serions heureux de le savoir.`,
        professional: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nnous avons bien pris en compte l'annulation de la commande ${a.orderName}. Si quelque chose vous a déçu, répondez à ce message : votre avis nous aide à progresser.`,
        minimal: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nla commande ${a.orderName} est annulée. Besoin d'aide ? Répondez ici.`,
        bold: (a) =>
          `${a.firstName ?? 'Salut'},\n\nla commande ${a.orderName} a été annulée. Si on s'est planté, dis-le-nous franchement.`,
      },
      plain: {
        friendly: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci beaucoup pour votre commande ${a.orderName} ! Votre ${a.topItem} est préparé avec soin. Une question ? Répondez simplement.`,
        playful: (a) =>
          `Coucou${a.firstName ? ` ${a.firstName}` : ''} !\n\nBonne nouvelle pour ${a.topItem} : il part avec toi ! La commande ${a.orderName} est en préparation.`,
        refined: (a) =>
          `Chère cliente, cher client${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci pour votre commande, ${a.orderName}. Votre ${a.topItem} est préparé avec soin.`,
        professional: (a) =>
          `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci pour votre commande ${a.orderName}. Nous préparons votre ${a.topItem} et vous préviendrons dès son expédition.`,
        minimal: (a) => `Bonjour${a.firstName ? ` ${a.firstName}` : ''},\n\nmerci pour la commande ${a.orderName}.`,
        bold: (a) => `${a.firstName ?? 'Salut'},\n\ncommande ${a.orderName} confirmée. Ton ${a.topItem} part bientôt.`,
      },
    },
    ps: (a) =>
      a.pairingBoughtTogether
        ? `P.-S. Les clients qui ont choisi ${a.topItem} prennent souvent aussi ${a.pairing}.`
        : `P.-S. ${a.pairing} se marie très bien avec votre ${a.topItem}.`,
    signOff: (a) => a.brand ?? "L'équipe",
    customerNote: {
      firstTime: (a) =>
        `Première commande de ${a.firstName ?? 'ce client'} : un accueil chaleureux maintenant rend la deuxième commande plus probable.`,
      repeat: (a) =>
        `Client fidèle : ${a.previousOrders} ${plural(a.previousOrders ?? '', 'commande précédente', 'commandes précédentes')}${a.lastOrderOn ? `, la dernière le ${a.lastOrderOn}` : ''}.`,
      unknown: 'Commande sans compte client : Lookout ne peut pas savoir si ce client a déjà commandé.',
    },
    testNote: (a, cancelled) =>
      `${a.orderName} est une commande test${cancelled ? ' (et elle a été annulée)' : ''} : il n'y a aucun client à contacter.`,
    testSteps: (a) => [
      `Vérifiez que l'e-mail de confirmation de ${a.orderName} est bien arrivé et se lit bien.`,
      'Vérifiez les taxes, les frais de port et le code de réduction de la commande.',
      'Vérifiez que le stock a été réservé (et libéré si la commande a été annulée).',
      `Archivez ${a.orderName} pour qu'elle n'apparaisse pas dans vos rapports de ventes.`,
      'Sortez le prestataire de paiement du mode test avant le lancement.',
    ],
    cancelledNote: (a) =>
      `${a.orderName} a été annulée${a.total ? ` (${a.total})` : ''}. Le message ci-dessous en demande la raison, sans rien promettre sur la livraison.`,
    crossSellReason: {
      boughtTogether: (item, orders) => `acheté avec ${item} dans ${orders} ${plural(orders, 'commande', 'commandes')}`,
      type: (detail) => `même type de produit (${detail})`,
      vendor: (detail) => `aussi par ${detail}`,
      tag: (detail) => `partage le tag « ${detail} »`,
    },
    noCrossSell:
      "Pas encore de vente croisée : aucune autre commande ni aucun produit du catalogue n'est lié à ces articles.",
  },

  batch: {
    title: (count, first, updated) =>
      updated ? `${count} produits modifiés, dont ${first}` : `${count} nouveaux produits : commencez par ${first}`,
    intro: (count, updated) =>
      updated
        ? `${count} produits ont changé d'un coup (un import ou une modification groupée). Les plus chers sont listés en premier.`
        : `${count} produits sont arrivés d'un coup (un import ou une modification groupée). Mettez-en quelques-uns bien en avant plutôt que tous à la fois.`,
    headings: {
      top: 'À mettre en avant',
      byType: 'Par type de produit',
      plan: 'Plan',
      product: 'Produit',
      price: 'Prix',
      discount: 'Remise',
      included: 'Inclus',
    },
    noType: 'Sans type de produit',
    plan: (top, largest) => [
      `Cette semaine : publiez des accroches TikTok pour ${top}.`,
      ...(largest
        ? [
            `Regroupez le type de produit le plus fourni (${largest.type}, ${largest.count} produits) dans une collection et annoncez-la.`,
          ]
        : []),
      "Programmez le reste à raison d'un ou deux produits par jour plutôt qu'en une seule publication.",
      'Avant toute promotion, vérifiez que chaque produit a une image, une description et un prix.',
    ],
    genericTitle: (count, first, more) =>
      `${count} changements${first ? ` : ${first}${more ? ` et ${more} autres` : ''}` : ''}`,
    genericIntro: (count) =>
      `${count} événements de ce type sont arrivés ensemble et sont résumés ici plutôt qu'en une suggestion chacun.`,
  },

  tableDocs: {
    title: {
      table: (q) => `Documenter la nouvelle table ${q}`,
      added: (q, column) => `Documenter la nouvelle colonne ${q}.${column}`,
      renamed: (q, from, to) => `Colonne renommée : ${q}.${from} → ${to}`,
      retyped: (q, column, from, to) => `Type de colonne modifié : ${q}.${column} (${from} → ${to})`,
    },
    intro: {
      renamed: (from, to) => `${from} s'appelle désormais ${to}.`,
      retyped: (column, from, to) => `${column} est passée du type ${from} au type ${to}.`,
      nullability: (column, nowNotNull) => `${column} est désormais ${nowNotNull ? 'NOT NULL' : 'nullable'}.`,
    },
    headings: {
      columns: 'Colonnes',
      constraints: 'Clés et contraintes',
      indexes: 'Index',
      security: 'Row level security',
      advice: 'Conseils',
      comments: 'Commentaires proposés',
      followUps: 'Suites à donner',
    },
    columnHeader: ['Colonne', 'Type', 'Nullable', 'Défaut', 'Clé'],
    yes: 'oui',
    no: 'non',
    key: { primary: 'PK', unique: 'unique', references: (target) => `FK → ${target}` },
    primaryKey: (columns) => `Clé primaire : ${columns}`,
    noPrimaryKey: 'Pas de clé primaire.',
    foreignKey: (name, columns, target, actions) =>
      `Clé étrangère${name ? ` ${name}` : ''} : ${columns} → ${target}${actions ? `, ${actions}` : ''}`,
    unique: (columns) => `Unique : ${columns}`,
    check: (name, definition) => `Contrôle ${name} : ${definition}`,
    index: (name, definition) => `${name} : ${definition}`,
    noIndexes: "Pas d'index.",
    indexesUnknown: "L'événement ne listait pas les index ; le prochain instantané du schéma le fera.",
    rls: {
      on: (q) => `Activée sur ${q} : seules les lignes autorisées par vos policies sont visibles via l'API.`,
      off: (q) => `Désactivée sur ${q}.`,
      unknown: (q) => `Inconnue pour ${q}.`,
    },
    advice: {
      rlsOff: (q, statement) =>
        `La row level security est désactivée sur ${q}, une table exposée par l'API Supabase : toute personne disposant de la clé anon peut lire et modifier toutes les lignes. Exécutez ${statement} et ajoutez des policies pour les accès voulus.`,
      fkWithoutIndex: (columns, target, statement) =>
        `La clé étrangère sur ${columns} (vers ${target}) n'a pas d'index : les jointures, et chaque suppression ou mise à jour dans la table référencée, parcourent toute cette table. Exécutez ${statement}.`,
      noPrimaryKey: (q) =>
        `${q} n'a pas de clé primaire : ajoutez-en une, sinon les mises à jour de lignes via l'API et la réplication logique ne fonctionneront pas.`,
      notNullWithoutDefault: (column) =>
        `${column} est NOT NULL sans valeur par défaut : les insertions qui ne la renseignent pas échouent désormais. Mettez à jour le code qui insère des lignes, ou ajoutez une valeur par défaut.`,
      becameNotNull: (column) =>
        `${column} est devenue NOT NULL sans valeur par défaut : les insertions qui ne la renseignent pas échouent désormais. Mettez à jour le code qui insère des lignes, ou ajoutez une valeur par défaut.`,
      renamed: (from) => [
        'Les vues, les index et les policies RLS suivent le renommage (PostgreSQL les rattache à la colonne, pas à son nom).',
        `Le code, les fonctions SQL et les requêtes API qui utilisent encore ${from} cassent : recherchez-le et mettez-les à jour.`,
      ],
      retyped: (column, from, to, rewrite) => [
        `Le code qui lit ${column} reçoit désormais des valeurs ${to} au lieu de ${from} : vérifiez l'analyse et la validation.`,
        rewrite
          ? `${from} → ${to} réécrit toute la table sous un verrou exclusif : sur une grosse table, faites ce genre de changement à un moment calme.`
          : `${from} → ${to} ne nécessite pas de réécriture : les lignes existantes sont restées telles quelles.`,
      ],
      bigintInJs: (column) =>
        `Les valeurs bigint au-delà de Number.MAX_SAFE_INTEGER perdent en précision en JavaScript : lisez ${column} comme une chaîne si elle peut devenir aussi grande.`,
    },
    followUps: {
      types: (command) => `Régénérez les types clients : ${command}.`,
      migration: (create, push) =>
        `Gardez les commentaires dans une migration : ${create}, collez le SQL, puis ${push}.`,
    },
    noColumns: "Aucune liste de colonnes n'était encore disponible pour cette table.",
    describe: {
      references: (target) => `Référence ${target}.`,
      primaryKey: (table) => `Clé primaire de ${table}.`,
      relatedId: (words) => `Identifiant de l'élément ${words} associé.`,
      createdAt: 'Date de création de la ligne.',
      updatedAt: 'Date de dernière modification de la ligne.',
      deletedAt: 'Date de suppression logique ; null tant que la ligne est active.',
      flag: (entity, words) => `Vrai quand ${entity} : ${words}.`,
      email: 'Adresse e-mail.',
      status: (entity) => `Statut du cycle de vie (${entity}).`,
      money: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}, montant monétaire.`,
      count: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)} : un nombre.`,
      when: (entity, words) => `Date ${words} (${entity}).`,
      generic: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)} (${entity}).`,
      table: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)} : une ligne par ${entity}.`,
    },
  },

  schemaChangelog: {
    title: (subject, verb) =>
      `Entrée de changelog : ${verb === 'dropTable' ? 'table supprimée ' : verb === 'dropColumn' ? 'colonne supprimée sur ' : ''}${subject}`,
    databaseSchema: 'le schéma de la base',
    andMore: (first, more) => `${first} et ${more} autres`,
    unreleased: 'Non publié',
    categories: { added: 'Ajouté', changed: 'Modifié', removed: 'Supprimé' },
    headings: { changelog: 'Changelog', followUps: 'Suites à donner' },
    entry: {
      tableRenamed: (before, after) => `Table ${before} renommée en ${after}`,
      tableComment: (table, comment) =>
        `Commentaire de la table ${table} ${comment ? `défini à « ${comment} »` : 'supprimé'}`,
      rlsEnabled: (table) => `Row level security activée sur ${table}`,
      rlsDisabled: (table) =>
        `Row level security désactivée sur ${table} : tout rôle ayant des droits sur la table (anon compris) peut lire et modifier toutes les lignes`,
      nullability: (column, notNull) => `La colonne ${column} est désormais ${notNull ? 'NOT NULL' : 'nullable'}`,
      default: (column, before, after) => `Valeur par défaut de la colonne ${column} : ${before} → ${after}`,
      none: 'aucune',
      columnComment: (column) => `Commentaire de la colonne ${column} modifié`,
      constraint: (name, table, detail) => `Contrainte ${name}${table ? ` sur ${table}` : ''}${detail}`,
      constraintRenamedFrom: (before) => ` (anciennement ${before})`,
      constraintWas: (before) => ` (était ${before})`,
      columnRenamed: (before, after) => `Colonne ${before} renommée en ${after}`,
      columnRetyped: (column, before, after) => `Type de la colonne ${column} : ${before} → ${after}`,
      column: (column, type) => `Colonne ${column}${type ? ` (${type})` : ''}`,
      table: (table, columns) => `Table ${table}${columns ? ` (${columns} colonnes)` : ''}`,
      ddl: (tag, type, object) => `${tag}${type ? ` (${type})` : ''}${object ? ` ${object}` : ''}`,
      noDetails: "Schéma modifié (aucun détail dans l'événement)",
    },
    followUps: {
      reEnableRls: (table, statement) =>
        `Réactivez la row level security, sauf si ${table} doit être publique : ${statement}`,
      searchRemoved:
        'Cherchez ce qui a été supprimé dans le code, les vues, les fonctions et les policies RLS avant le prochain déploiement.',
      types: (command) => `Régénérez les types clients : ${command}.`,
      captureMigration: (command) =>
        `Si ce changement a été fait dans le dashboard, capturez-le dans une migration : ${command}.`,
    },
  },

  migrationPending: {
    title: {
      missing: (version, dir) => `La migration ${version} est appliquée mais absente de ${dir}`,
      outOfOrder: (subject) => `Appliquer la migration hors ordre ${subject}`,
      pending: (subject, one) => `Appliquer ${one ? 'la migration en attente ' : ''}${subject}`,
    },
    subject: {
      none: 'les migrations en attente',
      many: (count, first, last) => `${count} migrations en attente (${first} … ${last})`,
    },
    headings: {
      pending: 'En attente',
      missing: 'Absente en local',
      why: 'Pourquoi',
      resync: "Resynchroniser l'historique",
      applyLinked: 'Appliquer (projet lié)',
      applyLocal: 'Appliquer (base locale)',
    },
    file: (path, version) => `${path}${version ? ` (version ${version})` : ''}`,
    version: (version) => `version ${version}`,
    noFiles: "L'événement ne listait aucun fichier ; lancez la première commande ci-dessous pour les voir.",
    why: {
      listRemote: () => 'Affiche les versions locales et distantes côte à côte.',
      listLocal: () => 'Compare les fichiers locaux et les migrations appliquées.',
      fetch: () => 'Télécharge les migrations appliquées absentes du dossier local (commitez-les).',
      repair: () =>
        "Seulement si la migration a été retirée exprès : la marque comme non appliquée dans l'historique distant.",
      pushDryRunAll: (latest) =>
        `Prévisualise l'exécution : ce fichier est plus ancien que la dernière version appliquée${latest ? ` (${latest})` : ''}, un simple push l'ignore.`,
      pushAll: () => "L'applique ; vérifiez d'abord qu'il ne dépend pas d'être exécuté avant les plus récentes.",
      up: () => 'Applique les migrations en attente à la base locale.',
      pushDryRun: () => "Prévisualise ce qui serait exécuté, sans l'appliquer.",
      push: () => 'Les applique au projet lié.',
    },
  },

  calendar: {
    launch: {
      title: (name, summary, when) =>
        `Compte à rebours${name ? ` pour ${name}` : ''} : ${summary}${when ? `, ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` commence ${when}` : ''}${location ? ` (${location})` : ''}.`,
      product: (a) =>
        `${a.name}${a.price ? ` : ${a.price}${a.compareAt ? ` (au lieu de ${a.compareAt}, ${a.off})` : ''}` : ''}${a.inventory ? `, ${a.inventory} en stock` : ''}${a.notActive ? `. Son statut Shopify est ${a.status} : publiez-le avant le lancement` : ''}.`,
      heading: 'Compte à rebours',
      steps: {
        teaser: (a) => `Publication teaser pour ${a.name} : « J-3 ».`,
        reminder: (a) => `E-mail et SMS de rappel aux abonnés avec un accès anticipé à ${a.name}.`,
        goLive: (a) =>
          `Vérification avant lancement : ${a.name} ${a.notActive ? 'publié' : 'bien actif'}, ${a.inventory ? `${a.inventory} en stock` : 'stock renseigné'}, ${a.price ? `prix ${a.price}` : 'prix renseigné'}, codes de réduction testés, liens fonctionnels.`,
        launch: (a) => `Publication et stories de lancement pour ${a.name} ; épinglez la publication.`,
        followUp: (a) => `Remerciez les premiers acheteurs et partagez les premières réactions à ${a.name}.`,
      },
    },
    meeting: {
      title: (summary, when) => `Préparer « ${summary} »${when ? `, ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` commence ${when}` : ''}${location ? ` (${location})` : ''}.`,
      headings: { agenda: 'Ordre du jour', recap: 'Depuis la dernière fois', questions: 'Questions à poser' },
      sinceLastMeeting: (date) => `Depuis la dernière réunion du ${date} :`,
      lastDays: (days) => `Sur les ${days} derniers jours :`,
      orders: (count, units, revenue) =>
        `${count} ${plural(count, 'commande', 'commandes')} (${units} ${plural(units, 'article', 'articles')}${revenue ? `, ${revenue}` : ''}).`,
      noOrders: 'Aucune commande.',
      bestSellers: (list) => `Meilleures ventes : ${list}.`,
      cancelled: (count) => `${count} ${plural(count, 'commande annulée', 'commandes annulées')}.`,
      lowStock: (list) => `Stock bas : ${list}.`,
      stockItem: (name, available) => `${name}${available !== undefined ? ` (plus que ${available})` : ''}`,
      productsCreated: (list) => `Nouveaux produits : ${list}.`,
      collectionsCreated: (list) => `Nouvelles collections : ${list}.`,
      schemaChanges: (list) => `Base de données : ${list}.`,
      schemaChange: (kind, table, column) => {
        const t = table ?? 'le schéma';
        switch (kind) {
          case 'table.created':
            return `table ${t} créée`;
          case 'table.dropped':
            return `table ${t} supprimée`;
          case 'column.added':
            return `colonne ${column ?? '?'} ajoutée à ${t}`;
          case 'column.dropped':
            return `colonne ${column ?? '?'} supprimée de ${t}`;
          case 'column.renamed':
            return `colonne ${column ?? '?'} renommée dans ${t}`;
          case 'column.retyped':
            return `type de la colonne ${column ?? '?'} modifié dans ${t}`;
          case 'constraint.changed':
            return `contraintes modifiées sur ${t}`;
          default:
            return `${t} modifié`;
        }
      },
      migrations: (list) => `Migrations pas encore appliquées : ${list}.`,
      quiet: "Rien ne s'est passé dans la boutique ni dans la base de données.",
      questions: {
        restock: (item) => `Réassort de ${item} : commander maintenant ou laisser s'épuiser ?`,
        cancelled: (count) =>
          `${count} ${plural(count, 'commande annulée', 'commandes annulées')} : que s'est-il passé ?`,
        schema: (table) => `Qui relit le changement sur ${table}, et l'application est-elle à jour ?`,
        migration: (file) => `Qui applique ${file}, et quand ?`,
        launch: (product) => `${product} : quel contenu de lancement publier en premier ?`,
      },
    },
  },

  signedEvent: {
    title: (type) => (type ? `Webhook : ${type}` : 'Un webhook signé est arrivé'),
    summary: (type, count) =>
      `${type ? `L'émetteur a signalé ${type}` : 'Un émetteur a envoyé un événement sans type'}, avec ${count} ${count === '1' ? 'champ' : 'champs'}.`,
    heading: "Ce qu'il dit",
    more: (count) => `…et ${count} de plus`,
    empty: 'Le corps ne contenait aucun champ.',
  },

  minorEvents: {
    row: {
      title: (verb, table, id) =>
        `Ligne ${{ inserted: 'insérée dans', updated: 'modifiée dans', deleted: 'supprimée de' }[verb]} ${table}${id ? ` (id ${id})` : ''}`,
      body: (verb, table, id) =>
        `Une ligne a été ${{ inserted: 'insérée dans', updated: 'modifiée dans', deleted: 'supprimée de' }[verb]} ${table}${id ? ` (id ${id})` : ''}.`,
      changed: (columns) => `Colonnes modifiées : ${columns}.`,
      advice:
        'Les événements de ligne demandent rarement une action. Pour ne plus les recevoir, excluez cette table dans vos préférences.',
    },
    uninstalled: {
      title: (shop) => `${shop ?? 'Une boutique'} a désinstallé l'application`,
      lines: [
        "Les webhooks et le polling de cette boutique s'arrêtent ; les événements enregistrés restent jusqu'à la demande shop/redact (48 heures après la désinstallation).",
        "Si ce n'était pas voulu, réinstallez l'application depuis l'admin Shopify.",
      ],
    },
    dataRequest: {
      title: (shop, orders) => `Demande de données client pour ${shop ?? 'votre boutique'} (${orders} commandes)`,
      intro: 'Un client a demandé ses données (RGPD/CCPA). Shopify attend une réponse de la boutique sous 30 jours.',
      steps: (orders) => [
        `Rassemblez ce que Lookout conserve sur les ${orders} commandes listées dans la demande.`,
        'Envoyez-le au client par votre canal de support habituel.',
      ],
    },
    redact: {
      title: (shop, orders) => `Effacer des données client pour ${shop ?? 'votre boutique'} (${orders} commandes)`,
      body: (orders) =>
        `Effacez les données personnelles du client des événements et suggestions concernant ${orders} commandes sous 30 jours ; ne gardez que ce que la loi impose.`,
    },
    shopRedact: {
      title: (shop) => `Effacer toutes les données de ${shop ?? 'la boutique'}`,
      body: "La boutique a désinstallé l'application il y a 48 heures ; Shopify demande d'effacer toutes ses données.",
    },
    inventoryUpdated: {
      title: (name, available) =>
        `Stock de ${name} mis à jour${available !== undefined ? ` : ${available} disponibles` : ''}`,
      level: (name, available, location) =>
        `Le stock de ${name} est maintenant de ${available}${location ? ` à l'emplacement ${location}` : ''}. Rien à faire tant qu'il reste au-dessus de votre seuil de stock bas.`,
      settings: 'Réglages de stock modifiés (suivi, coût ou origine). Rien à faire sauf si le stock est désormais bas.',
    },
    unknown: () => "Aucun modèle n'existe encore pour ce type d'événement.",
  },
};
