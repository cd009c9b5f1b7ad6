import type { SupportedLocale } from './locale.ts';

/**
 * Texts of the views (Access data page, dashboard card) in vue-i18n message syntax: `{name}` is a parameter and
 * `a | b | c` chooses by count (zero | one | many). The `Messages` type keeps the three languages in step.
 */
const enGB = {
  page: {
    tabConfiguration: 'Configuration',
  },
  accessData: {
    title: 'Access data',
    subtitle: 'The authorization of AmazonBridge in Amazon Seller Central',
    professionalNote:
      "AmazonBridge uses Amazon's Selling Partner API, which is only available with the Professional selling plan.",
    loading: 'Loading the connection…',
  },
  status: {
    label: 'Status',
    active: 'Connected',
    expiring: 'Expires today | Expires in {count} day | Expires in {count} days',
    expired: 'Expired',
    deactivated: 'Deactivated',
    revoked: 'Revoked',
    not_connected: 'Not connected',
  },
  fields: {
    sellerId: 'Seller ID',
    region: 'Region',
    marketplaces: 'Marketplaces',
    generatedOn: 'Generated on',
    validUntil: 'Valid until',
  },
  regions: {
    na: 'North America',
    eu: 'Europe',
    fe: 'Far East',
  },
  actions: {
    requestToken: 'Request / renew token',
    deactivate: 'Deactivate',
    delete: 'Delete',
    cancel: 'Cancel',
    ok: 'OK',
    retry: 'Retry',
    openInNewTab: 'Open in a new tab',
    stopWaiting: 'Stop waiting',
    dismiss: 'Dismiss',
  },
  confirmAuthorize: {
    title: 'Authorize AmazonBridge for Amazon?',
    body: 'Amazon Seller Central opens in a new window. Sign in with the seller account of this shop and confirm the authorization. It is valid for 365 days; you can renew it at any time.',
    region: 'Amazon region',
  },
  confirmDeactivate: {
    title: 'Deactivate the Amazon connection?',
    body: 'Stock, price and order sync will stop until you renew the token.',
  },
  confirmDelete: {
    title: 'Delete the Amazon connection?',
    body: 'Stock, price and order sync will stop and the stored token will be deleted. To resume, authorize AmazonBridge again.',
  },
  flow: {
    waitingTitle: 'Waiting for Amazon…',
    waitingPopup: 'Finish the authorization in the Amazon window. This page updates by itself.',
    waitingTab: 'Finish the authorization in the new tab. This page updates by itself.',
    openingTab: 'Opening Amazon Seller Central in a new tab…',
    succeededTitle: 'Connected to Amazon',
    succeededBody: 'The authorization was generated on {generatedOn} and is valid until {validUntil}.',
    closedTitle: 'Authorization not finished',
    closedBody: 'The Amazon window was closed before the authorization finished.',
    failedTitle: 'The authorization could not be started',
  },
  blocked: {
    title: 'Your browser blocked the Amazon window',
    body: 'Allow pop-ups for {origin}, then press Retry — or open Amazon Seller Central in a new tab instead.',
    chrome:
      'Chrome: click the blocked pop-up icon at the right end of the address bar, choose “Always allow pop-ups and redirects from {origin}”, then Done.',
    edge: 'Edge: click the blocked pop-up icon in the address bar, choose “Always allow pop-ups and redirects from {origin}”, then Done.',
    firefox:
      'Firefox: in the bar below the address bar, click Settings (or Options) and choose “Allow pop-ups for {origin}”.',
    safari: 'Safari: open Safari > Settings for {origin} (or Settings > Websites > Pop-up Windows) and choose Allow.',
  },
  sync: {
    title: 'Sync status',
    flows: {
      stock: 'Stock',
      price: 'Prices',
      orders: 'Orders',
      shipments: 'Shipments',
    },
    lastRun: 'Last run',
    nextRun: 'Next run',
    never: 'Never',
    running: 'Running',
    paused: 'Paused',
    pausedTitle: 'Stock, price and order sync are paused',
    lastError: 'Last error',
    counts: {
      accepted: 'accepted',
      invalid: 'invalid',
      pending: 'pending',
      sent: 'sent',
      imported: 'imported',
      parked: 'parked',
      failed: 'failed',
      confirmed: 'confirmed',
      skipped: 'skipped',
    },
  },
  stopReasons: {
    not_connected: 'Amazon is not connected yet. Request a token above to start syncing.',
    expired: 'The Amazon authorization expired on {date}. Renew the token above to resume.',
    deactivated: 'The Amazon connection was deactivated on {date}. Renew the token above to resume.',
    revoked: 'Amazon revoked the authorization on {date}. Renew the token above to resume.',
  },
  dashboard: {
    warningBody: 'Renew the token before {date} to keep stock, price and order sync running.',
    renew: 'Renew token',
    stoppedSince: 'Stock, price and order sync are stopped since {date}.',
    stopped: 'Stock, price and order sync are stopped.',
    expired: 'The Amazon authorization expired on {date}.',
    deactivated: 'The Amazon connection was deactivated.',
    revoked: 'The authorization was revoked in Amazon Seller Central.',
    openAccessData: 'Open Access data',
    renewed: 'The Amazon authorization is valid until {date}.',
  },
  notifications: {
    connectedTitle: 'Amazon connected',
    connectedBody: 'AmazonBridge is authorized until {date}. Stock, price and order sync run.',
    deactivatedTitle: 'Amazon connection deactivated',
    deletedTitle: 'Amazon connection deleted',
    stoppedBody: 'Stock, price and order sync are stopped.',
  },
};

export type Messages = typeof enGB;

const deDE: Messages = {
  page: {
    tabConfiguration: 'Konfiguration',
  },
  accessData: {
    title: 'Zugangsdaten',
    subtitle: 'Die Autorisierung von AmazonBridge in Amazon Seller Central',
    professionalNote:
      'AmazonBridge nutzt die Selling Partner API von Amazon. Sie steht nur mit dem Verkaufstarif „Professional“ zur Verfügung.',
    loading: 'Verbindung wird geladen …',
  },
  status: {
    label: 'Status',
    active: 'Verbunden',
    expiring: 'Läuft heute ab | Läuft in {count} Tag ab | Läuft in {count} Tagen ab',
    expired: 'Abgelaufen',
    deactivated: 'Deaktiviert',
    revoked: 'Widerrufen',
    not_connected: 'Nicht verbunden',
  },
  fields: {
    sellerId: 'Verkäufer-ID',
    region: 'Region',
    marketplaces: 'Marktplätze',
    generatedOn: 'Erstellt am',
    validUntil: 'Gültig bis',
  },
  regions: {
    na: 'Nordamerika',
    eu: 'Europa',
    fe: 'Ferner Osten',
  },
  actions: {
    requestToken: 'Token anfordern / erneuern',
    deactivate: 'Deaktivieren',
    delete: 'Löschen',
    cancel: 'Abbrechen',
    ok: 'OK',
    retry: 'Erneut versuchen',
    openInNewTab: 'In neuem Tab öffnen',
    stopWaiting: 'Nicht mehr warten',
    dismiss: 'Schließen',
  },
  confirmAuthorize: {
    title: 'AmazonBridge für Amazon autorisieren?',
    body: 'Amazon Seller Central öffnet sich in einem neuen Fenster. Melde dich mit dem Verkäuferkonto dieses Shops an und bestätige die Autorisierung. Sie gilt 365 Tage und kann jederzeit erneuert werden.',
    region: 'Amazon-Region',
  },
  confirmDeactivate: {
    title: 'Amazon-Verbindung deaktivieren?',
    body: 'Die Synchronisation von Bestand, Preisen und Bestellungen stoppt, bis du den Token erneuerst.',
  },
  confirmDelete: {
    title: 'Amazon-Verbindung löschen?',
    body: 'Die Synchronisation von Bestand, Preisen und Bestellungen stoppt und der gespeicherte Token wird gelöscht. Um fortzufahren, musst du AmazonBridge erneut autorisieren.',
  },
  flow: {
    waitingTitle: 'Warten auf Amazon …',
    waitingPopup: 'Schließe die Autorisierung im Amazon-Fenster ab. Diese Seite aktualisiert sich von selbst.',
    waitingTab: 'Schließe die Autorisierung im neuen Tab ab. Diese Seite aktualisiert sich von selbst.',
    openingTab: 'Amazon Seller Central wird in einem neuen Tab geöffnet …',
    succeededTitle: 'Mit Amazon verbunden',
    succeededBody: 'Die Autorisierung wurde am {generatedOn} erstellt und ist gültig bis {validUntil}.',
    closedTitle: 'Autorisierung nicht abgeschlossen',
    closedBody: 'Das Amazon-Fenster wurde geschlossen, bevor die Autorisierung abgeschlossen war.',
    failedTitle: 'Die Autorisierung konnte nicht gestartet werden',
  },
  blocked: {
    title: 'Dein Browser hat das Amazon-Fenster blockiert',
    body: 'Erlaube Pop-ups für {origin} und klicke auf „Erneut versuchen“ – oder öffne Amazon Seller Central stattdessen in einem neuen Tab.',
    chrome:
      'Chrome: Klicke rechts in der Adressleiste auf das Symbol für blockierte Pop-ups, wähle „Pop-ups und Weiterleitungen von {origin} immer zulassen“ und dann „Fertig“.',
    edge: 'Edge: Klicke in der Adressleiste auf das Symbol für blockierte Pop-ups, wähle „Pop-ups und Umleitungen von {origin} immer zulassen“ und dann „Fertig“.',
    firefox:
      'Firefox: Klicke in der Leiste unter der Adressleiste auf „Einstellungen“ und wähle „Pop-ups für {origin} erlauben“.',
    safari:
      'Safari: Öffne Safari > Einstellungen für {origin} (oder Einstellungen > Websites > Pop-up-Fenster) und wähle „Erlauben“.',
  },
  sync: {
    title: 'Synchronisationsstatus',
    flows: {
      stock: 'Bestand',
      price: 'Preise',
      orders: 'Bestellungen',
      shipments: 'Versand',
    },
    lastRun: 'Letzter Lauf',
    nextRun: 'Nächster Lauf',
    never: 'Noch nie',
    running: 'Läuft',
    paused: 'Pausiert',
    pausedTitle: 'Die Synchronisation von Bestand, Preisen und Bestellungen ist pausiert',
    lastError: 'Letzter Fehler',
    counts: {
      accepted: 'angenommen',
      invalid: 'ungültig',
      pending: 'ausstehend',
      sent: 'gesendet',
      imported: 'importiert',
      parked: 'geparkt',
      failed: 'fehlgeschlagen',
      confirmed: 'bestätigt',
      skipped: 'übersprungen',
    },
  },
  stopReasons: {
    not_connected: 'Amazon ist noch nicht verbunden. Fordere oben einen Token an, um die Synchronisation zu starten.',
    expired: 'Die Amazon-Autorisierung ist am {date} abgelaufen. Erneuere oben den Token, um fortzufahren.',
    deactivated: 'Die Amazon-Verbindung wurde am {date} deaktiviert. Erneuere oben den Token, um fortzufahren.',
    revoked: 'Amazon hat die Autorisierung am {date} widerrufen. Erneuere oben den Token, um fortzufahren.',
  },
  dashboard: {
    warningBody:
      'Erneuere den Token vor dem {date}, damit die Synchronisation von Bestand, Preisen und Bestellungen weiterläuft.',
    renew: 'Token erneuern',
    stoppedSince: 'Die Synchronisation von Bestand, Preisen und Bestellungen ist seit dem {date} gestoppt.',
    stopped: 'Die Synchronisation von Bestand, Preisen und Bestellungen ist gestoppt.',
    expired: 'Die Amazon-Autorisierung ist am {date} abgelaufen.',
    deactivated: 'Die Amazon-Verbindung wurde deaktiviert.',
    revoked: 'Die Autorisierung wurde in Amazon Seller Central widerrufen.',
    openAccessData: 'Zugangsdaten öffnen',
    renewed: 'Die Amazon-Autorisierung ist gültig bis {date}.',
  },
  notifications: {
    connectedTitle: 'Amazon verbunden',
    connectedBody: 'AmazonBridge ist bis {date} autorisiert. Bestand, Preise und Bestellungen werden synchronisiert.',
    deactivatedTitle: 'Amazon-Verbindung deaktiviert',
    deletedTitle: 'Amazon-Verbindung gelöscht',
    stoppedBody: 'Die Synchronisation von Bestand, Preisen und Bestellungen ist gestoppt.',
  },
};

const frFR: Messages = {
  page: {
    tabConfiguration: 'Configuration',
  },
  accessData: {
    title: "Données d'accès",
    subtitle: "L'autorisation d'AmazonBridge dans Amazon Seller Central",
    professionalNote:
      "AmazonBridge utilise la Selling Partner API d'Amazon, disponible uniquement avec le plan de vente Professionnel.",
    loading: 'Chargement de la connexion…',
  },
  status: {
    label: 'Statut',
    active: 'Connecté',
    expiring: "Expire aujourd'hui | Expire dans {count} jour | Expire dans {count} jours",
    expired: 'Expiré',
    deactivated: 'Désactivé',
    revoked: 'Révoqué',
    not_connected: 'Non connecté',
  },
  fields: {
    sellerId: 'ID vendeur',
    region: 'Région',
    marketplaces: 'Places de marché',
    generatedOn: 'Générée le',
    validUntil: "Valable jusqu'au",
  },
  regions: {
    na: 'Amérique du Nord',
    eu: 'Europe',
    fe: 'Extrême-Orient',
  },
  actions: {
    requestToken: 'Demander / renouveler le jeton',
    deactivate: 'Désactiver',
    delete: 'Supprimer',
    cancel: 'Annuler',
    ok: 'OK',
    retry: 'Réessayer',
    openInNewTab: 'Ouvrir dans un nouvel onglet',
    stopWaiting: "Arrêter d'attendre",
    dismiss: 'Fermer',
  },
  confirmAuthorize: {
    title: 'Autoriser AmazonBridge pour Amazon ?',
    body: "Amazon Seller Central s'ouvre dans une nouvelle fenêtre. Connectez-vous avec le compte vendeur de cette boutique et confirmez l'autorisation. Elle est valable 365 jours et peut être renouvelée à tout moment.",
    region: 'Région Amazon',
  },
  confirmDeactivate: {
    title: 'Désactiver la connexion Amazon ?',
    body: "La synchronisation des stocks, des prix et des commandes s'arrêtera jusqu'au renouvellement du jeton.",
  },
  confirmDelete: {
    title: 'Supprimer la connexion Amazon ?',
    body: "La synchronisation des stocks, des prix et des commandes s'arrêtera et le jeton enregistré sera supprimé. Pour reprendre, autorisez à nouveau AmazonBridge.",
  },
  flow: {
    waitingTitle: "En attente d'Amazon…",
    waitingPopup: "Terminez l'autorisation dans la fenêtre Amazon. Cette page se met à jour automatiquement.",
    waitingTab: "Terminez l'autorisation dans le nouvel onglet. Cette page se met à jour automatiquement.",
    openingTab: 'Ouverture d’Amazon Seller Central dans un nouvel onglet…',
    succeededTitle: 'Connecté à Amazon',
    succeededBody: "L'autorisation a été générée le {generatedOn} et est valable jusqu'au {validUntil}.",
    closedTitle: 'Autorisation non terminée',
    closedBody: "La fenêtre Amazon a été fermée avant la fin de l'autorisation.",
    failedTitle: "L'autorisation n'a pas pu démarrer",
  },
  blocked: {
    title: 'Votre navigateur a bloqué la fenêtre Amazon',
    body: 'Autorisez les fenêtres pop-up pour {origin}, puis cliquez sur Réessayer — ou ouvrez Amazon Seller Central dans un nouvel onglet.',
    chrome:
      "Chrome : cliquez sur l'icône de pop-up bloqué à droite de la barre d'adresse, choisissez « Toujours autoriser les pop-up et les redirections de {origin} », puis OK.",
    edge: "Edge : cliquez sur l'icône de pop-up bloqué dans la barre d'adresse, choisissez « Toujours autoriser les fenêtres contextuelles et les redirections de {origin} », puis Terminé.",
    firefox:
      "Firefox : dans la barre sous la barre d'adresse, cliquez sur Paramètres (ou Options) et choisissez « Autoriser les pop-ups pour {origin} ».",
    safari:
      'Safari : ouvrez Safari > Réglages pour {origin} (ou Réglages > Sites web > Fenêtres surgissantes) et choisissez Autoriser.',
  },
  sync: {
    title: 'État de la synchronisation',
    flows: {
      stock: 'Stock',
      price: 'Prix',
      orders: 'Commandes',
      shipments: 'Expéditions',
    },
    lastRun: 'Dernière exécution',
    nextRun: 'Prochaine exécution',
    never: 'Jamais',
    running: 'En cours',
    paused: 'En pause',
    pausedTitle: 'La synchronisation des stocks, des prix et des commandes est en pause',
    lastError: 'Dernière erreur',
    counts: {
      accepted: 'acceptés',
      invalid: 'invalides',
      pending: 'en attente',
      sent: 'envoyés',
      imported: 'importées',
      parked: 'en attente de correction',
      failed: 'en échec',
      confirmed: 'confirmées',
      skipped: 'ignorés',
    },
  },
  stopReasons: {
    not_connected: "Amazon n'est pas encore connecté. Demandez un jeton ci-dessus pour lancer la synchronisation.",
    expired: "L'autorisation Amazon a expiré le {date}. Renouvelez le jeton ci-dessus pour reprendre.",
    deactivated: 'La connexion Amazon a été désactivée le {date}. Renouvelez le jeton ci-dessus pour reprendre.',
    revoked: "Amazon a révoqué l'autorisation le {date}. Renouvelez le jeton ci-dessus pour reprendre.",
  },
  dashboard: {
    warningBody:
      'Renouvelez le jeton avant le {date} pour que la synchronisation des stocks, des prix et des commandes continue.',
    renew: 'Renouveler le jeton',
    stoppedSince: 'La synchronisation des stocks, des prix et des commandes est arrêtée depuis le {date}.',
    stopped: 'La synchronisation des stocks, des prix et des commandes est arrêtée.',
    expired: "L'autorisation Amazon a expiré le {date}.",
    deactivated: 'La connexion Amazon a été désactivée.',
    revoked: "L'autorisation a été révoquée dans Amazon Seller Central.",
    openAccessData: "Ouvrir les données d'accès",
    renewed: "L'autorisation Amazon est valable jusqu'au {date}.",
  },
  notifications: {
    connectedTitle: 'Amazon connecté',
    connectedBody:
      "AmazonBridge est autorisé jusqu'au {date}. Les stocks, les prix et les commandes sont synchronisés.",
    deactivatedTitle: 'Connexion Amazon désactivée',
    deletedTitle: 'Connexion Amazon supprimée',
    stoppedBody: 'La synchronisation des stocks, des prix et des commandes est arrêtée.',
  },
};

export const MESSAGES: Record<SupportedLocale, Messages> = { 'en-GB': enGB, 'de-DE': deDE, 'fr-FR': frFR };
