<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <source>cleared</source>
        <translation>gegangen</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <source>Asset</source>
        <translation>Anlage</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Work order</source>
        <translation>Arbeitsauftrag</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Quittiert von</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>Gegangen</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>{message} (not acknowledged yet)</source>
        <translation>{message} (noch nicht quittiert)</translation>
    </message>
    <message>
        <source>slope {limit}/min over {window}</source>
        <translation>Steigung {limit}/min über {window}</translation>
    </message>
    <message>
        <source>{limit} within {hours} h (fit over {window})</source>
        <translation>{limit} innerhalb {hours} h (Anpassung über {window})</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>Grenzen</translation>
    </message>
    <message>
        <source>Hysteresis</source>
        <translation>Hysterese</translation>
    </message>
    <message>
        <source>On-delay</source>
        <translation>Einschaltverzögerung</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Unacknowledged only</source>
        <translation>Nur unquittierte</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Quittieren</translation>
    </message>
    <message>
        <source>Acknowledge the selected alarms</source>
        <translation>Die ausgewählten Alarme quittieren</translation>
    </message>
    <message>
        <source>Open work order</source>
        <translation>Auftrag öffnen</translation>
    </message>
    <message>
        <source>Open the predictive work order the alarm raised (Enter)</source>
        <translation>Den vorausschauenden Auftrag öffnen, den der Alarm ausgelöst hat (Enter)</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Replay {REPLAY_DAYS} days</source>
        <translation>{REPLAY_DAYS} Tage nachspielen</translation>
    </message>
    <message>
        <source>Run the rule over the stored history: how many alarms and work orders it would have raised in the last {REPLAY_DAYS} days</source>
        <translation>Die Regel über den gespeicherten Verlauf laufen lassen: wie viele Alarme und Aufträge sie in den letzten {REPLAY_DAYS} Tagen ausgelöst hätte</translation>
    </message>
    <message>
        <source>Select a rule and replay it to see what it would raise.</source>
        <translation>Eine Regel wählen und nachspielen, um zu sehen, was sie auslösen würde.</translation>
    </message>
    <message>
        <source>Each alarm the rule would have raised  →  when it cleared</source>
        <translation>Jeder Alarm, den die Regel ausgelöst hätte  →  wann er ging</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Condition rules</source>
        <translation>Zustandsregeln</translation>
    </message>
    <message>
        <source>{value} alarm, {waiting} unacknowledged</source>
        <translation>{value} Alarm, {waiting} unquittiert</translation>
    </message>
    <message>
        <source>{value} alarms, {waiting} unacknowledged</source>
        <translation>{value} Alarme, {waiting} unquittiert</translation>
    </message>
    <message>
        <source>Acknowledge alarms</source>
        <translation>Alarme quittieren</translation>
    </message>
    <message>
        <source>{verb} rule</source>
        <translation>Regel: {verb}</translation>
    </message>
    <message>
        <source>Replaying {name} over the last {REPLAY_DAYS} days…</source>
        <translation>{name} wird über die letzten {REPLAY_DAYS} Tage nachgespielt…</translation>
    </message>
    <message>
        <source>{name}: over the last {REPLAY_DAYS} days ({samples} samples) it would have raised {alarms} alarms and up to {work_orders} work orders. Raised → cleared:</source>
        <translation>{name}: In den letzten {REPLAY_DAYS} Tagen ({samples} Messwerte) hätte sie {alarms} Alarme und bis zu {work_orders} Aufträge ausgelöst. Ausgelöst → gegangen:</translation>
    </message>
    <message>
        <source>still active</source>
        <translation>noch aktiv</translation>
    </message>
    <message>
        <source>Replay of {name} failed.</source>
        <translation>Nachspielen von {name} fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Nachspielen</translation>
    </message>
    <message>
        <source>Replay of {name} failed: {error}</source>
        <translation>Nachspielen von {name} fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>Wrenchbook</source>
        <translation>Wrenchbook</translation>
    </message>
    <message>
        <source>Cannot open the database {where} (from {source}).

{reason}

Check the database and that the server is running.</source>
        <translation>Die Datenbank {where} (aus {source}) lässt sich nicht öffnen.

{reason}

Bitte die Datenbank prüfen und ob der Server läuft.</translation>
    </message>
    <message>
        <source>A — critical to production or safety</source>
        <translation>A — kritisch für Produktion oder Sicherheit</translation>
    </message>
    <message>
        <source>B — important</source>
        <translation>B — wichtig</translation>
    </message>
    <message>
        <source>C — run to failure acceptable</source>
        <translation>C — Betrieb bis zum Ausfall zulässig</translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation>&amp;Kennung</translation>
    </message>
    <message>
        <source>Printed on labels and sheets; it cannot change later</source>
        <translation>Steht auf Etiketten und Blättern; sie kann später nicht geändert werden</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Parent</source>
        <translation>Über&amp;geordnet</translation>
    </message>
    <message>
        <source>— none (an area of the site) —</source>
        <translation>— keine (ein Bereich des Werks) —</translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation>&amp;Ebene</translation>
    </message>
    <message>
        <source>pump, motor, conveyor…</source>
        <translation>Pumpe, Motor, Förderband…</translation>
    </message>
    <message>
        <source>Cl&amp;ass</source>
        <translation>Kl&amp;asse</translation>
    </message>
    <message>
        <source>C&amp;riticality</source>
        <translation>K&amp;ritikalität</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <source>Ma&amp;ker</source>
        <translation>Her&amp;steller</translation>
    </message>
    <message>
        <source>M&amp;odel</source>
        <translation>M&amp;odell</translation>
    </message>
    <message>
        <source>S&amp;erial</source>
        <translation>S&amp;eriennummer</translation>
    </message>
    <message>
        <source>Locat&amp;ion</source>
        <translation>Stand&amp;ort</translation>
    </message>
    <message>
        <source>&amp;Installed</source>
        <translation>&amp;Installiert</translation>
    </message>
    <message>
        <source>Replacement &amp;value</source>
        <translation>&amp;Wiederbeschaffungswert</translation>
    </message>
    <message>
        <source>New asset</source>
        <translation>Neue Anlage</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Edit {code}</source>
        <translation>{code} bearbeiten</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>New &amp;parent</source>
        <translation>Neu übergeordnet &amp;unter</translation>
    </message>
    <message>
        <source>Move {code} — {name} (a {level}) and everything below it. It sits under {parent} now.</source>
        <translation>{code} — {name} ({level}) und alles darunter verschieben. Sie hängt jetzt unter {parent}.</translation>
    </message>
    <message>
        <source>the site</source>
        <translation>dem Werk</translation>
    </message>
    <message>
        <source>{code} now sits under {parent}.</source>
        <translation>{code} hängt jetzt unter {parent}.</translation>
    </message>
    <message>
        <source>Move {code}</source>
        <translation>{code} verschieben</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>{code} and everything below it still have open work: {work}. Finish or cancel it first; retiring is refused until then.</source>
        <translation>{code} und alles darunter hat noch offene Arbeit: {work}. Erst abschließen oder stornieren; bis dahin wird das Ausmustern abgelehnt.</translation>
    </message>
    <message>
        <source>{code} and everything below it will be decommissioned and their PM schedules paused. Their history stays.</source>
        <translation>{code} und alles darunter wird außer Betrieb genommen, die Wartungspläne werden pausiert. Die Historie bleibt erhalten.</translation>
    </message>
    <message>
        <source>Retired {codes}.</source>
        <translation>Ausgemustert: {codes}.</translation>
    </message>
    <message>
        <source>nothing new</source>
        <translation>nichts Neues</translation>
    </message>
    <message>
        <source>PM schedules paused: {codes}.</source>
        <translation>Wartungspläne pausiert: {codes}.</translation>
    </message>
    <message>
        <source>Retire {code}</source>
        <translation>{code} ausmustern</translation>
    </message>
    <message>
        <source>scrapped, sold, replaced by …</source>
        <translation>verschrottet, verkauft, ersetzt durch …</translation>
    </message>
    <message>
        <source>&amp;Why</source>
        <translation>&amp;Warum</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>Ausmustern</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Teil</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Spare parts of {code}</source>
        <translation>Ersatzteile von {code}</translation>
    </message>
    <message>
        <source>&amp;Add or change…</source>
        <translation>&amp;Hinzufügen oder ändern…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>What one repair of this asset may need; PM kits start from this list.</source>
        <translation>Was eine Reparatur dieser Anlage brauchen kann; Wartungs-Kits beginnen mit dieser Liste.</translation>
    </message>
    <message>
        <source>&amp;Part</source>
        <translation>&amp;Teil</translation>
    </message>
    <message>
        <source>&amp;Quantity</source>
        <translation>&amp;Menge</translation>
    </message>
    <message>
        <source>where it goes, e.g. drive end</source>
        <translation>wo es hingehört, z. B. Antriebsseite</translation>
    </message>
    <message>
        <source>N&amp;ote</source>
        <translation>N&amp;otiz</translation>
    </message>
    <message>
        <source>Spare part of {code}</source>
        <translation>Ersatzteil von {code}</translation>
    </message>
    <message>
        <source>Select the line to remove.</source>
        <translation>Die zu entfernende Zeile wählen.</translation>
    </message>
    <message>
        <source>Removed {part}.</source>
        <translation>{part} entfernt.</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Files of {code}</source>
        <translation>Dateien von {code}</translation>
    </message>
    <message>
        <source>&amp;Add file…</source>
        <translation>Datei &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Not added: {value}</source>
        <translation>Nicht hinzugefügt: {value}</translation>
    </message>
    <message>
        <source>Not added: {exc}</source>
        <translation>Nicht hinzugefügt: {exc}</translation>
    </message>
    <message>
        <source>Added {filename}.</source>
        <translation>{filename} hinzugefügt.</translation>
    </message>
    <message>
        <source>Select the file to open.</source>
        <translation>Die zu öffnende Datei wählen.</translation>
    </message>
    <message>
        <source>Add a file to {code}</source>
        <translation>Datei zu {code} hinzufügen</translation>
    </message>
    <message>
        <source>Search assets by code or name…</source>
        <translation>Anlagen nach Kennung oder Name suchen…</translation>
    </message>
    <message>
        <source>Include sub-assets</source>
        <translation>Unteranlagen einbeziehen</translation>
    </message>
    <message>
        <source>Crit.</source>
        <translation>Krit.</translation>
    </message>
    <message>
        <source>&amp;New asset…</source>
        <translation>&amp;Neue Anlage…</translation>
    </message>
    <message>
        <source>A new asset under the selected one (or a new area)</source>
        <translation>Eine neue Anlage unter der ausgewählten (oder ein neuer Bereich)</translation>
    </message>
    <message>
        <source>New &amp;request…</source>
        <translation>Neue &amp;Meldung…</translation>
    </message>
    <message>
        <source>Raise a work order on this asset</source>
        <translation>Einen Arbeitsauftrag zu dieser Anlage anlegen</translation>
    </message>
    <message>
        <source>Print &amp;labels…</source>
        <translation>&amp;Etiketten drucken…</translation>
    </message>
    <message>
        <source>A sheet of QR labels for this asset and everything below it; scanning one opens the asset here and starts a request at the shop-floor kiosk</source>
        <translation>Ein Blatt QR-Etiketten für diese Anlage und alles darunter; ein Scan öffnet die Anlage hier und beginnt eine Meldung am Werkstatt-Kiosk</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>Name plate: name, class, criticality, maker…</source>
        <translation>Typenschild: Name, Klasse, Kritikalität, Hersteller…</translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation>&amp;Verschieben…</translation>
    </message>
    <message>
        <source>Hang it under another parent (or drag it in the tree)</source>
        <translation>Unter eine andere übergeordnete Anlage hängen (oder im Baum ziehen)</translation>
    </message>
    <message>
        <source>Re&amp;tire…</source>
        <translation>Aus&amp;mustern…</translation>
    </message>
    <message>
        <source>Decommission it and everything below it</source>
        <translation>Sie und alles darunter außer Betrieb nehmen</translation>
    </message>
    <message>
        <source>Spare &amp;parts…</source>
        <translation>&amp;Ersatzteile…</translation>
    </message>
    <message>
        <source>What a repair of it may need</source>
        <translation>Was eine Reparatur brauchen kann</translation>
    </message>
    <message>
        <source>&amp;Files…</source>
        <translation>&amp;Dateien…</translation>
    </message>
    <message>
        <source>Manuals, drawings and photos</source>
        <translation>Handbücher, Zeichnungen und Fotos</translation>
    </message>
    <message>
        <source>Select an asset to see its work orders, costs and failures.</source>
        <translation>Eine Anlage wählen, um ihre Aufträge, Kosten und Ausfälle zu sehen.</translation>
    </message>
    <message>
        <source>Loading the history of {code}…</source>
        <translation>Historie von {code} wird geladen…</translation>
    </message>
    <message>
        <source>{orders} work order{value} — double-click or Enter opens one</source>
        <translation>Arbeitsaufträge: {orders} — Doppelklick oder Enter öffnet einen</translation>
    </message>
    <message>
        <source>The history could not be loaded. {message}</source>
        <translation>Die Historie konnte nicht geladen werden. {message}</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Ebene</translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation>Kritikalität</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Maker / model</source>
        <translation>Hersteller / Modell</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <source>Replacement value</source>
        <translation>Wiederbeschaffungswert</translation>
    </message>
    <message>
        <source>{name}:</source>
        <translation>{name}:</translation>
    </message>
    <message>
        <source>(with 1 sub-asset)</source>
        <translation>(mit 1 Unteranlage)</translation>
    </message>
    <message>
        <source>(with {count} sub-assets)</source>
        <translation>(mit {count} Unteranlagen)</translation>
    </message>
    <message>
        <source>Prio.</source>
        <translation>Prio.</translation>
    </message>
    <message>
        <source>Priority: 1 emergency, 2 high, 3 medium, 4 low</source>
        <translation>Priorität: 1 Notfall, 2 hoch, 3 mittel, 4 niedrig</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Angefordert</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Stunden</translation>
    </message>
    <message>
        <source>Labour hours booked on the work order</source>
        <translation>Auf den Auftrag gebuchte Arbeitsstunden</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Labour cost: Σ hours × the rate kept with each entry</source>
        <translation>Arbeitskosten: Σ Stunden × der mit jedem Eintrag gespeicherte Satz</translation>
    </message>
    <message>
        <source>Down h</source>
        <translation>Stillst. h</translation>
    </message>
    <message>
        <source>Downtime hours of the work order (open periods until now)</source>
        <translation>Stillstandsstunden des Auftrags (offene Zeiträume bis jetzt)</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Ausfall</translation>
    </message>
    <message>
        <source>Save asset labels</source>
        <translation>Anlagenetiketten speichern</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
        <source>Print asset labels</source>
        <translation>Anlagenetiketten drucken</translation>
    </message>
    <message>
        <source>Not printed: {exc}</source>
        <translation>Nicht gedruckt: {exc}</translation>
    </message>
    <message>
        <source>not coded yet</source>
        <translation>noch nicht erfasst</translation>
    </message>
    <message>
        <source>{count} other modes</source>
        <translation>{count} weitere Arten</translation>
    </message>
    <message>
        <source>No failure work orders completed in this period.</source>
        <translation>Keine abgeschlossenen Störungsaufträge in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>{count}  ·  {hours} h down</source>
        <translation>{count}  ·  {hours} h Stillstand</translation>
    </message>
    <message>
        <source>Failures by mode (count · downtime)</source>
        <translation>Ausfälle nach Art (Anzahl · Stillstand)</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Freigabe</translation>
    </message>
    <message>
        <source>Scheduling</source>
        <translation>Planung</translation>
    </message>
    <message>
        <source>Execution</source>
        <translation>Ausführung</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>Abschluss</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>{count} work orders</source>
        <translation>{count} Arbeitsaufträge</translation>
    </message>
    <message>
        <source>; the {shown} most urgent are shown, narrow the filters to see others</source>
        <translation>; die {shown} dringendsten werden gezeigt, Filter einengen, um andere zu sehen</translation>
    </message>
    <message>
        <source>Closed work orders are hidden: tick Show closed to see them</source>
        <translation>Geschlossene Arbeitsaufträge sind ausgeblendet: „Geschlossene zeigen“ anhaken, um sie zu sehen</translation>
    </message>
    <message>
        <source>Work-order board</source>
        <translation>Auftragstafel</translation>
    </message>
    <message>
        <source>Loading… {what} follows</source>
        <translation>Wird geladen… danach: {what}</translation>
    </message>
    <message>
        <source>the search</source>
        <translation>die Suche</translation>
    </message>
    <message>
        <source>{total} work orders match</source>
        <translation>{total} passende Arbeitsaufträge</translation>
    </message>
    <message>
        <source>opening {number}</source>
        <translation>{number} öffnen</translation>
    </message>
    <message>
        <source>moving {number}</source>
        <translation>{number} verschieben</translation>
    </message>
    <message>
        <source>Move refused</source>
        <translation>Verschieben abgelehnt</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Print sheet…</source>
        <translation>Blatt drucken…</translation>
    </message>
    <message>
        <source>printing {number}</source>
        <translation>{number} drucken</translation>
    </message>
    <message>
        <source>Backlog over time (crew-weeks)</source>
        <translation>Rückstand im Zeitverlauf (Teamwochen)</translation>
    </message>
    <message>
        <source>MTTR stages (mean hours)</source>
        <translation>MTTR-Phasen (Ø Stunden)</translation>
    </message>
    <message>
        <source>PM compliance by month (%)</source>
        <translation>PM-Erfüllung je Monat (%)</translation>
    </message>
    <message>
        <source>MTBF by asset class (h)</source>
        <translation>MTBF je Anlagenklasse (h)</translation>
    </message>
    <message>
        <source>MTTR by asset class (h)</source>
        <translation>MTTR je Anlagenklasse (h)</translation>
    </message>
    <message>
        <source>Cost Pareto by asset (own orders)</source>
        <translation>Kosten-Pareto je Anlage (eigene Aufträge)</translation>
    </message>
    <message>
        <source>not connected: needs the PM schedules</source>
        <translation>nicht verbunden: braucht die Wartungspläne</translation>
    </message>
    <message>
        <source>nothing in this period</source>
        <translation>nichts in diesem Zeitraum</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Letzte 12 Monate</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>wird berechnet…</translation>
    </message>
    <message>
        <source>All areas</source>
        <translation>Alle Bereiche</translation>
    </message>
    <message>
        <source>{start} to {last}, against the {value} days before · MTBF on {mtbf_basis} · computed in {seconds} s</source>
        <translation>{start} bis {last}, verglichen mit den {value} Tagen davor · MTBF auf Basis {mtbf_basis} · berechnet in {seconds} s</translation>
    </message>
    <message>
        <source>could not compute: {message}</source>
        <translation>konnte nicht berechnet werden: {message}</translation>
    </message>
    <message>
        <source>Welcome to Wrenchbook</source>
        <translation>Willkommen bei Wrenchbook</translation>
    </message>
    <message>
        <source>&lt;b&gt;This database is empty.&lt;/b&gt;&lt;br&gt;{where}&lt;br&gt;&lt;br&gt;Load the demo bottling plant to look around with years of maintenance history, or start empty with your own administrator account.</source>
        <translation>&lt;b&gt;Diese Datenbank ist leer.&lt;/b&gt;&lt;br&gt;{where}&lt;br&gt;&lt;br&gt;Die Demo-Abfüllanlage laden, um sich mit Jahren an Instandhaltungshistorie umzusehen, oder leer beginnen mit einem eigenen Administratorkonto.</translation>
    </message>
    <message>
        <source>Load the demo plant (recommended for a first look)</source>
        <translation>Demo-Anlage laden (für den ersten Blick empfohlen)</translation>
    </message>
    <message>
        <source>Start empty: create the administrator account</source>
        <translation>Leer beginnen: Administratorkonto anlegen</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Vollständiger Name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Passwort wiederholen</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>the two passwords differ</source>
        <translation>die beiden Passwörter unterscheiden sich</translation>
    </message>
    <message>
        <source>full name is required</source>
        <translation>der vollständige Name fehlt</translation>
    </message>
    <message>
        <source>Please correct: </source>
        <translation>Bitte korrigieren: </translation>
    </message>
    <message>
        <source>Building the demo plant… %p%</source>
        <translation>Demo-Anlage wird aufgebaut… %p%</translation>
    </message>
    <message>
        <source>Demo accounts</source>
        <translation>Demo-Konten</translation>
    </message>
    <message>
        <source>The demo plant is loaded and you are logged in as its planner. These are the demo accounts and their passwords. &lt;b&gt;They are shown only now&lt;/b&gt;: copy them before you close this window.</source>
        <translation>Die Demo-Anlage ist geladen und Sie sind als deren Planer angemeldet. Dies sind die Demo-Konten und ihre Passwörter. &lt;b&gt;Sie werden nur jetzt angezeigt&lt;/b&gt;: kopieren Sie sie, bevor Sie dieses Fenster schließen.</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>In die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Not done: fix the entries marked in red.</source>
        <translation>Nicht ausgeführt: die rot markierten Eingaben korrigieren.</translation>
    </message>
    <message>
        <source>Reloaded the version {changed_by} saved at {when}; your edits are kept on top. Check them and save again.</source>
        <translation>Die von {changed_by} um {when} gespeicherte Fassung neu geladen; Ihre Änderungen stehen darüber. Bitte prüfen und erneut speichern.</translation>
    </message>
    <message>
        <source>Your edits were discarded; showing the version {changed_by} saved at {when}.</source>
        <translation>Ihre Änderungen wurden verworfen; angezeigt wird die von {changed_by} um {when} gespeicherte Fassung.</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Search {plural}…</source>
        <translation>{plural} suchen…</translation>
    </message>
    <message>
        <source>&amp;New {singular}</source>
        <translation>&amp;Neu: {singular}</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>Forget what was typed and show the stored record</source>
        <translation>Das Eingegebene verwerfen und den gespeicherten Datensatz zeigen</translation>
    </message>
    <message>
        <source>New {singular}</source>
        <translation>Neu: {singular}</translation>
    </message>
    <message>
        <source>Nothing to save: no field was changed.</source>
        <translation>Nichts zu speichern: kein Feld wurde geändert.</translation>
    </message>
    <message>
        <source>Not saved: {value}</source>
        <translation>Nicht gespeichert: {value}</translation>
    </message>
    <message>
        <source>fix the entries marked in red.</source>
        <translation>die rot markierten Eingaben korrigieren.</translation>
    </message>
    <message>
        <source>Not saved: {exc}</source>
        <translation>Nicht gespeichert: {exc}</translation>
    </message>
    <message>
        <source>Created {key}.</source>
        <translation>{key} angelegt.</translation>
    </message>
    <message>
        <source>Saved {key}.</source>
        <translation>{key} gespeichert.</translation>
    </message>
    <message>
        <source>Could not work it out: {error}</source>
        <translation>Konnte nicht berechnet werden: {error}</translation>
    </message>
    <message>
        <source>Working it out…</source>
        <translation>Wird berechnet…</translation>
    </message>
    <message>
        <source>No preview: {exc}</source>
        <translation>Keine Vorschau: {exc}</translation>
    </message>
    <message>
        <source>{value} of {total} {plural}</source>
        <translation>{value} von {total} {plural}</translation>
    </message>
    <message>
        <source>Choose a {singular} on the left</source>
        <translation>Links auswählen: {singular}</translation>
    </message>
    <message>
        <source>, or make a new one ({value}).</source>
        <translation>, oder neu anlegen ({value}).</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Pflicht</translation>
    </message>
    <message>
        <source>check (pass / fail)</source>
        <translation>Prüfung (i. O. / n. i. O.)</translation>
    </message>
    <message>
        <source>measurement</source>
        <translation>Messung</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>sign-off</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <source>&amp;Add step</source>
        <translation>Schritt &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>Ent&amp;fernen</translation>
    </message>
    <message>
        <source>U&amp;p</source>
        <translation>&amp;Hoch</translation>
    </message>
    <message>
        <source>Do&amp;wn</source>
        <translation>&amp;Runter</translation>
    </message>
    <message>
        <source>Part &lt;b&gt;{part}&lt;/b&gt;</source>
        <translation>Teil &lt;b&gt;{part}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Wareneingang</translation>
    </message>
    <message>
        <source>optional, e.g. PO-2026-000012 (its price is used)</source>
        <translation>optional, z. B. PO-2026-000012 (dessen Preis wird verwendet)</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Unit cost</source>
        <translation>Stückkosten</translation>
    </message>
    <message>
        <source>Purchase order</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>Adjust</source>
        <translation>Korrektur</translation>
    </message>
    <message>
        <source>stock count, damaged, found …</source>
        <translation>Inventur, beschädigt, gefunden …</translation>
    </message>
    <message>
        <source>Change (+/−)</source>
        <translation>Änderung (+/−)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Umlagern</translation>
    </message>
    <message>
        <source>From bin</source>
        <translation>Von Lagerplatz</translation>
    </message>
    <message>
        <source>To bin</source>
        <translation>Nach Lagerplatz</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Lieferant</translation>
    </message>
    <message>
        <source>Bins</source>
        <translation>Lagerplätze</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>Reserviert</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>Reorder qty</source>
        <translation>Bestellmenge</translation>
    </message>
    <message>
        <source>available {available} at or below minimum {minimum}</source>
        <translation>verfügbar {available}, auf oder unter Mindestbestand {minimum}</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <source>Avg cost</source>
        <translation>Ø-Kosten</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Movement</source>
        <translation>Bewegung</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Saldo</translation>
    </message>
    <message>
        <source>The machine has stopped</source>
        <translation>Die Maschine steht</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Touch the reason first.</source>
        <translation>Zuerst den Grund antippen.</translation>
    </message>
    <message>
        <source>PO</source>
        <translation>Bestellung</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Positionen</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Search part, description or category</source>
        <translation>Teil, Beschreibung oder Kategorie suchen</translation>
    </message>
    <message>
        <source>At or below minimum only</source>
        <translation>Nur ≤ Mindestbestand</translation>
    </message>
    <message>
        <source>Receive…</source>
        <translation>Wareneingang…</translation>
    </message>
    <message>
        <source>Adjust…</source>
        <translation>Korrektur…</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Umlagern…</translation>
    </message>
    <message>
        <source>Movements</source>
        <translation>Bewegungen</translation>
    </message>
    <message>
        <source>Requisitions</source>
        <translation>Bedarfsmeldungen</translation>
    </message>
    <message>
        <source>Purchase orders</source>
        <translation>Bestellungen</translation>
    </message>
    <message>
        <source>{low_stock_count} part{plural} at or below minimum</source>
        <translation>≤ Mindestbestand: {low_stock_count}</translation>
    </message>
    <message>
        <source>Planned</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Verbraucht</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Fehlt</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Planen</translation>
    </message>
    <message>
        <source>Set the planned quantity (0 removes the part)</source>
        <translation>Die geplante Menge setzen (0 entfernt das Teil)</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>Entnehmen</translation>
    </message>
    <message>
        <source>; waiting for parts</source>
        <translation>; wartet auf Teile</translation>
    </message>
    <message>
        <source>Parts cost {cost}{state}</source>
        <translation>Teilekosten {cost}{state}</translation>
    </message>
    <message>
        <source>Wrenchbook — log in</source>
        <translation>Wrenchbook — Anmeldung</translation>
    </message>
    <message>
        <source>You log in to the server as yourself, with your own password.</source>
        <translation>Sie melden sich mit Ihrem eigenen Passwort selbst am Server an.</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Control room display</source>
        <translation>Leitstandsanzeige</translation>
    </message>
    <message>
        <source>Start the read-only, full-screen display for a shared control-room screen</source>
        <translation>Die schreibgeschützte Vollbildanzeige für einen gemeinsamen Leitstandsbildschirm starten</translation>
    </message>
    <message>
        <source>Sign in with Windows</source>
        <translation>Mit Windows anmelden</translation>
    </message>
    <message>
        <source>Log in as the Windows account signed in to this PC, where the site has it</source>
        <translation>Mit dem Windows-Konto anmelden, das an diesem PC angemeldet ist, wo der Standort das anbietet</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Tafel</translation>
    </message>
    <message>
        <source>Work orders</source>
        <translation>Arbeitsaufträge</translation>
    </message>
    <message>
        <source>Assets</source>
        <translation>Anlagen</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Lager</translation>
    </message>
    <message>
        <source>Preventive</source>
        <translation>Vorbeugend</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>Trends</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Kennzahlen</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Berichte</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Einrichtung</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>OPC UA: not configured</source>
        <translation>OPC UA: nicht eingerichtet</translation>
    </message>
    <message>
        <source>OPC UA: starting</source>
        <translation>OPC UA: startet</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <source>Notifications…</source>
        <translation>Benachrichtigungen…</translation>
    </message>
    <message>
        <source>Asset {code}</source>
        <translation>Anlage {code}</translation>
    </message>
    <message>
        <source>must be zero or more</source>
        <translation>muss null oder mehr sein</translation>
    </message>
    <message>
        <source>must be more than 0 seconds</source>
        <translation>muss mehr als 0 Sekunden sein</translation>
    </message>
    <message>
        <source>a whole number of milliseconds from {sampling_min_ms} to {sampling_max_ms}, or empty for the tag class&apos;s default</source>
        <translation>eine ganze Zahl von Millisekunden von {sampling_min_ms} bis {sampling_max_ms}, oder leer für den Standard der Tag-Klasse</translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation>muss eine Zahl sein</translation>
    </message>
    <message>
        <source>must be zero or more seconds</source>
        <translation>muss null oder mehr Sekunden sein</translation>
    </message>
    <message>
        <source>not a discovery proposal ({exc})</source>
        <translation>kein Erkundungsvorschlag ({exc})</translation>
    </message>
    <message>
        <source>unknown code {code}; use one of {codes}</source>
        <translation>unbekannter Code {code}; einer von {codes}</translation>
    </message>
    <message>
        <source>cannot {verb} {part}: only {available} of {wanted} available in bin {bin_code}</source>
        <translation>{verb} von {part} nicht möglich: nur {available} von {wanted} verfügbar in Lagerplatz {bin_code}</translation>
    </message>
    <message>
        <source>no technician assigned</source>
        <translation>kein Techniker zugewiesen</translation>
    </message>
    <message>
        <source>only emergency work may skip approval and scheduling (this is {type})</source>
        <translation>nur Notfallarbeit darf Freigabe und Einplanung überspringen (dies ist {type})</translation>
    </message>
    <message>
        <source>no hold reason (parts, access, shutdown or other)</source>
        <translation>kein Grund der Zurückstellung (Teile, Zugang, Stillstand oder Sonstiges)</translation>
    </message>
    <message>
        <source>no labour logged</source>
        <translation>keine Arbeitszeit erfasst</translation>
    </message>
    <message>
        <source>checklist item {pos} &quot;{text}&quot; unanswered</source>
        <translation>Checklistenpunkt {pos} „{text}“ unbeantwortet</translation>
    </message>
    <message>
        <source>no {name} code</source>
        <translation>kein Code für {name}</translation>
    </message>
    <message>
        <source>failure mode</source>
        <translation>Ausfallart</translation>
    </message>
    <message>
        <source>failure mechanism</source>
        <translation>Mechanismus</translation>
    </message>
    <message>
        <source>failure cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <source>activity</source>
        <translation>Instandhaltungstätigkeit</translation>
    </message>
    <message>
        <source>{open_downtime_periods} downtime period(s) without an end time</source>
        <translation>Stillstandszeiträume ohne Ende: {open_downtime_periods}</translation>
    </message>
    <message>
        <source>asset was down but no downtime recorded</source>
        <translation>Anlage stand still, aber kein Stillstand erfasst</translation>
    </message>
    <message>
        <source>isolation {position} ({energy_source} at {lock_point})</source>
        <translation>Trennstelle {position} ({energy_source} an {lock_point})</translation>
    </message>
    <message>
        <source>{label} not locked</source>
        <translation>{label} nicht verschlossen</translation>
    </message>
    <message>
        <source>{label} locked but zero energy not verified</source>
        <translation>{label} verschlossen, aber Energiefreiheit nicht geprüft</translation>
    </message>
    <message>
        <source>{label} still locked: record its release first</source>
        <translation>{label} noch verschlossen: zuerst das Entfernen erfassen</translation>
    </message>
    <message>
        <source>{signer_name} already signed this order&apos;s safety sign-off; a second person must sign the other</source>
        <translation>{signer_name} hat die Sicherheitsunterschrift dieses Auftrags schon geleistet; eine zweite Person muss die andere leisten</translation>
    </message>
    <message>
        <source>{value} is not a meter reading: give the number on the counter</source>
        <translation>{value} ist kein Zählerstand: die Zahl auf dem Zähler angeben</translation>
    </message>
    <message>
        <source>a meter reading cannot be negative</source>
        <translation>ein Zählerstand kann nicht negativ sein</translation>
    </message>
    <message>
        <source>the counter wraps at {rollover}: a reading must be below it</source>
        <translation>der Zähler springt bei {rollover} zurück: ein Stand muss darunter liegen</translation>
    </message>
    <message>
        <source>the last reading is from {last_at} UTC: readings go in time order</source>
        <translation>die letzte Ablesung ist vom {last_at} UTC: Ablesungen kommen in zeitlicher Reihenfolge</translation>
    </message>
    <message>
        <source>{value} is below the last reading {last_value}: if the meter was replaced or reset, record it as a reset; otherwise correct the value</source>
        <translation>{value} liegt unter der letzten Ablesung {last_value}: wurde der Zähler getauscht oder zurückgesetzt, als Rücksetzung erfassen; sonst den Wert korrigieren</translation>
    </message>
    <message>
        <source>{delta} runtime hours in {elapsed} hours of clock time is not possible: check the value and the time</source>
        <translation>{delta} Betriebsstunden in {elapsed} Stunden Uhrzeit sind nicht möglich: Wert und Zeit prüfen</translation>
    </message>
    <message>
        <source>read</source>
        <translation>lesen</translation>
    </message>
    <message>
        <source>create work orders</source>
        <translation>Arbeitsaufträge anlegen</translation>
    </message>
    <message>
        <source>edit work orders</source>
        <translation>Arbeitsaufträge bearbeiten</translation>
    </message>
    <message>
        <source>log labour, checklists, downtime and attachments</source>
        <translation>Arbeitszeit, Checklisten, Stillstände und Anhänge erfassen</translation>
    </message>
    <message>
        <source>assign technicians</source>
        <translation>Techniker zuweisen</translation>
    </message>
    <message>
        <source>change the failure flag</source>
        <translation>die Ausfallkennzeichnung ändern</translation>
    </message>
    <message>
        <source>add addenda to closed work orders</source>
        <translation>geschlossenen Arbeitsaufträgen Nachträge anfügen</translation>
    </message>
    <message>
        <source>manage assets</source>
        <translation>Anlagen verwalten</translation>
    </message>
    <message>
        <source>manage checklist templates</source>
        <translation>Checklistenvorlagen verwalten</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>Benutzer verwalten</translation>
    </message>
    <message>
        <source>manage PM schedules, meters and the site calendar</source>
        <translation>Wartungspläne, Zähler und den Werkskalender verwalten</translation>
    </message>
    <message>
        <source>generate preventive work orders</source>
        <translation>vorbeugende Arbeitsaufträge erzeugen</translation>
    </message>
    <message>
        <source>record meter readings</source>
        <translation>Zählerstände erfassen</translation>
    </message>
    <message>
        <source>issue parts to work orders and return them</source>
        <translation>Teile für Arbeitsaufträge entnehmen und zurückgeben</translation>
    </message>
    <message>
        <source>receive, adjust and transfer stock</source>
        <translation>Bestand vereinnahmen, korrigieren und umlagern</translation>
    </message>
    <message>
        <source>manage parts, vendors, bins and stock levels</source>
        <translation>Teile, Lieferanten, Lagerplätze und Bestände verwalten</translation>
    </message>
    <message>
        <source>raise requisitions and purchase orders</source>
        <translation>Bedarfsmeldungen und Bestellungen anlegen</translation>
    </message>
    <message>
        <source>manage OPC UA tags and condition rules</source>
        <translation>OPC-UA-Tags und Zustandsregeln verwalten</translation>
    </message>
    <message>
        <source>acknowledge alarms</source>
        <translation>Alarme quittieren</translation>
    </message>
    <message>
        <source>restore the database from a backup</source>
        <translation>die Datenbank aus einer Sicherung wiederherstellen</translation>
    </message>
    <message>
        <source>raise a breakdown request with an operator PIN</source>
        <translation>eine Störmeldung mit einer Bediener-PIN aufgeben</translation>
    </message>
    <message>
        <source>{username} ({role}) may not {action}</source>
        <translation>{username} ({role}) darf nicht: {action}</translation>
    </message>
    <message>
        <source>{username} ({role}) may not {what} ({allowed})</source>
        <translation>{username} ({role}) darf nicht: {what} ({allowed})</translation>
    </message>
    <message>
        <source>no allowed due date after {nominal}: check the blackouts and the calendar</source>
        <translation>kein zulässiger Fälligkeitstermin nach {nominal}: Sperrzeiten und Kalender prüfen</translation>
    </message>
    <message>
        <source>signal {tag_name} not yet back in band for {minutes} min after the repair ({reason})</source>
        <translation>Signal {tag_name} nach der Reparatur noch nicht {minutes} min im Sollbereich ({reason})</translation>
    </message>
    <message>
        <source>{text}: write a shift as HH:MM-HH:MM, e.g. 06:00-14:00</source>
        <translation>{text}: eine Schicht als HH:MM-HH:MM schreiben, z. B. 06:00-14:00</translation>
    </message>
    <message>
        <source>{text}: a shift needs a length</source>
        <translation>{text}: eine Schicht braucht eine Dauer</translation>
    </message>
    <message>
        <source>no working day within a year of {day}: check the site calendar</source>
        <translation>kein Arbeitstag innerhalb eines Jahres ab {day}: Werkskalender prüfen</translation>
    </message>
    <message>
        <source>{part}: use mon, tue, wed, thu, fri, sat, sun or ranges mon-fri</source>
        <translation>{part}: mon, tue, wed, thu, fri, sat, sun oder Bereiche wie mon-fri verwenden</translation>
    </message>
    <message>
        <source>{part}: a range runs forward, e.g. mon-fri</source>
        <translation>{part}: ein Bereich läuft vorwärts, z. B. mon-fri</translation>
    </message>
    <message>
        <source>name at least one working day, e.g. mon-fri</source>
        <translation>mindestens einen Arbeitstag nennen, z. B. mon-fri</translation>
    </message>
    <message>
        <source>this connection has no certificate folder</source>
        <translation>diese Verbindung hat keinen Zertifikatsordner</translation>
    </message>
    <message>
        <source>{endpoint}, {count} tags</source>
        <translation>{endpoint}, {count} Tags</translation>
    </message>
    <message>
        <source>server connection lost</source>
        <translation>Verbindung zum Server verloren</translation>
    </message>
    <message>
        <source>{product}, state {state}</source>
        <translation>{product}, Zustand {state}</translation>
    </message>
    <message>
        <source>server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Connected. {server}.</source>
        <translation>Verbunden. {server}.</translation>
    </message>
    <message>
        <source>write it as opc.tcp://host:port/path</source>
        <translation>als opc.tcp://host:port/pfad schreiben</translation>
    </message>
    <message>
        <source>leave the login out of the endpoint: give the user name as the OPC UA user and the password in WRENCHBOOK_OPC_PASSWORD</source>
        <translation>die Anmeldung nicht in den Endpunkt schreiben: den Benutzernamen als OPC-UA-Benutzer und das Passwort in WRENCHBOOK_OPC_PASSWORD angeben</translation>
    </message>
    <message>
        <source>signing needs a certificate folder</source>
        <translation>Signieren braucht einen Zertifikatsordner</translation>
    </message>
    <message>
        <source>give both a user name and a password, or neither</source>
        <translation>Benutzername und Passwort beide angeben oder keins von beiden</translation>
    </message>
    <message>
        <source>a user name and password are not sent over security mode None: set the OPC UA security to sign_and_encrypt (Settings › Plant), or leave the login out</source>
        <translation>Benutzername und Passwort werden im Sicherheitsmodus None nicht gesendet: die OPC-UA-Sicherheit auf sign_and_encrypt setzen (Einstellungen › Anlagenverbindung) oder die Anmeldung weglassen</translation>
    </message>
    <message>
        <source>give both the client certificate and its key, or neither</source>
        <translation>Client-Zertifikat und Schlüssel beide angeben oder keins von beiden</translation>
    </message>
    <message>
        <source>Settings › Plant, or --security / --opc-user</source>
        <translation>Einstellungen › Anlagenverbindung, oder --security / --opc-user</translation>
    </message>
    <message>
        <source>the pki/own folder</source>
        <translation>den Ordner pki/own</translation>
    </message>
    <message>
        <source>cannot connect to {endpoint}: connection refused, no OPC UA server listens there; start the server or correct the endpoint</source>
        <translation>keine Verbindung zu {endpoint}: Verbindung abgelehnt, dort lauscht kein OPC-UA-Server; den Server starten oder den Endpunkt korrigieren</translation>
    </message>
    <message>
        <source>cannot connect to {endpoint}: the host name is not known; correct the endpoint</source>
        <translation>keine Verbindung zu {endpoint}: der Hostname ist unbekannt; den Endpunkt korrigieren</translation>
    </message>
    <message>
        <source>no answer from {endpoint} within {seconds} s; check that the server runs and that no firewall blocks the port</source>
        <translation>keine Antwort von {endpoint} innerhalb von {seconds} s; prüfen, ob der Server läuft und keine Firewall den Port sperrt</translation>
    </message>
    <message>
        <source>{endpoint} offers no endpoint with OPC UA security {security}; choose a security the server offers ({settings})</source>
        <translation>{endpoint} bietet keinen Endpunkt mit OPC-UA-Sicherheit {security}; eine Sicherheit wählen, die der Server anbietet ({settings})</translation>
    </message>
    <message>
        <source>{endpoint} closed the connection during the handshake; check the server&apos;s log</source>
        <translation>{endpoint} hat die Verbindung beim Verbindungsaufbau geschlossen; das Protokoll des Servers prüfen</translation>
    </message>
    <message>
        <source>cannot connect to {endpoint}: {reason}; check the network and the endpoint</source>
        <translation>keine Verbindung zu {endpoint}: {reason}; Netzwerk und Endpunkt prüfen</translation>
    </message>
    <message>
        <source>OPC UA failure at {endpoint}: {reason}; check the server&apos;s log</source>
        <translation>OPC-UA-Fehler bei {endpoint}: {reason}; das Protokoll des Servers prüfen</translation>
    </message>
    <message>
        <source>{endpoint} refused the login {username} ({code}); check the OPC UA user name and password ({settings})</source>
        <translation>{endpoint} hat die Anmeldung {username} abgelehnt ({code}); OPC-UA-Benutzername und Passwort prüfen ({settings})</translation>
    </message>
    <message>
        <source>{endpoint} refused anonymous logins ({code}); give an OPC UA user name and password ({settings})</source>
        <translation>{endpoint} lehnt anonyme Anmeldungen ab ({code}); OPC-UA-Benutzername und Passwort angeben ({settings})</translation>
    </message>
    <message>
        <source>{endpoint} refused OPC UA security {security} ({code}); choose a security the server offers ({settings})</source>
        <translation>{endpoint} hat die OPC-UA-Sicherheit {security} abgelehnt ({code}); eine Sicherheit wählen, die der Server anbietet ({settings})</translation>
    </message>
    <message>
        <source>{endpoint} did not answer in time ({code}); check that the server runs and keeps up</source>
        <translation>{endpoint} hat nicht rechtzeitig geantwortet ({code}); prüfen, ob der Server läuft und nachkommt</translation>
    </message>
    <message>
        <source>{endpoint} refused the request ({code}); check the server&apos;s log</source>
        <translation>{endpoint} hat die Anfrage abgelehnt ({code}); das Protokoll des Servers prüfen</translation>
    </message>
    <message>
        <source>{endpoint} refused this workstation&apos;s certificate ({code}); trust {certificate} on the server, then connect again</source>
        <translation>{endpoint} hat das Zertifikat dieses Arbeitsplatzes abgelehnt ({code}); {certificate} auf dem Server als vertrauenswürdig eintragen, dann erneut verbinden</translation>
    </message>
    <message>
        <source>{endpoint} refused this workstation&apos;s certificate; trust {certificate} on the server, then connect again</source>
        <translation>{endpoint} hat das Zertifikat dieses Arbeitsplatzes abgelehnt; {certificate} auf dem Server als vertrauenswürdig eintragen, dann erneut verbinden</translation>
    </message>
    <message>
        <source>the plant server does not know the namespace {namespace}</source>
        <translation>der Anlagenserver kennt den Namensraum {namespace} nicht</translation>
    </message>
    <message>
        <source>{node} reads with bad quality ({code})</source>
        <translation>{node} liefert schlechte Qualität ({code})</translation>
    </message>
    <message>
        <source>{node} gives no number</source>
        <translation>{node} liefert keine Zahl</translation>
    </message>
    <message>
        <source>no answer from the plant within {seconds} s; zero energy not verified</source>
        <translation>keine Antwort der Anlage innerhalb von {seconds} s; Energiefreiheit nicht geprüft</translation>
    </message>
    <message>
        <source>cannot read {node} from the plant: {reason}</source>
        <translation>{node} kann nicht von der Anlage gelesen werden: {reason}</translation>
    </message>
    <message>
        <source>the server certificate {thumbprint} is not trusted: it was saved to {saved_to}; trust it (move it into trusted/ or use `plant trust`) and connect again</source>
        <translation>das Serverzertifikat {thumbprint} ist nicht vertrauenswürdig: es wurde unter {saved_to} abgelegt; als vertrauenswürdig eintragen (nach trusted/ verschieben oder `plant trust` verwenden) und erneut verbinden</translation>
    </message>
    <message>
        <source>cannot use the client certificate {path}: {reason}</source>
        <translation>das Client-Zertifikat {path} ist nicht verwendbar: {reason}</translation>
    </message>
    <message>
        <source>the client certificate {path} names no application URI (subject alternative name URI): OPC UA servers refuse it</source>
        <translation>das Client-Zertifikat {path} nennt keine Application-URI (Subject Alternative Name URI): OPC-UA-Server lehnen es ab</translation>
    </message>
    <message>
        <source>the private key {path} does not exist</source>
        <translation>den privaten Schlüssel {path} gibt es nicht</translation>
    </message>
    <message>
        <source>no rejected certificate {thumbprint} in {folder}</source>
        <translation>kein abgelehntes Zertifikat {thumbprint} in {folder}</translation>
    </message>
    <message>
        <source>changes only, queue {queue}</source>
        <translation>nur Änderungen, Warteschlange {queue}</translation>
    </message>
    <message>
        <source>every {interval} ms, queue {queue}</source>
        <translation>alle {interval} ms, Warteschlange {queue}</translation>
    </message>
    <message>
        <source>{tag}: the server revised sampling to changes only (asked {asked} ms); values that do not change are not sent</source>
        <translation>{tag}: der Server hat die Abtastung auf nur Änderungen gesetzt (angefordert {asked} ms); Werte, die sich nicht ändern, werden nicht gesendet</translation>
    </message>
    <message>
        <source>{tag}: the server samples every {interval} ms, not the {asked} ms asked: fewer values than asked</source>
        <translation>{tag}: der Server tastet alle {interval} ms ab, nicht wie angefordert alle {asked} ms: weniger Werte als angefordert</translation>
    </message>
    <message>
        <source>{tag}: the server queues {queue} values, not the {asked} asked: values between two publishes may be lost</source>
        <translation>{tag}: der Server puffert {queue} Werte, nicht die angeforderten {asked}: Werte zwischen zwei Veröffentlichungen können verloren gehen</translation>
    </message>
    <message>
        <source>tag {id}</source>
        <translation>Tag {id}</translation>
    </message>
    <message>
        <source>server sampling: {parts}</source>
        <translation>Abtastung des Servers: {parts}</translation>
    </message>
    <message>
        <source>warning: {warning}</source>
        <translation>Warnung: {warning}</translation>
    </message>
    <message>
        <source>{count} tag on changes only (queue {queue})</source>
        <translation>{count} Tag nur bei Änderungen (Warteschlange {queue})</translation>
    </message>
    <message>
        <source>{count} tags on changes only (queue {queue})</source>
        <translation>{count} Tags nur bei Änderungen (Warteschlange {queue})</translation>
    </message>
    <message>
        <source>{count} tag every {interval} ms (queue {queue})</source>
        <translation>{count} Tag alle {interval} ms (Warteschlange {queue})</translation>
    </message>
    <message>
        <source>{count} tags every {interval} ms (queue {queue})</source>
        <translation>{count} Tags alle {interval} ms (Warteschlange {queue})</translation>
    </message>
    <message>
        <source>{tag}: {received} values in the last {seconds} s, where every {interval} ms implies about {expected}, and it reads {now} now against {last} last sent: the server sends fewer values than asked (changes only?)</source>
        <translation>{tag}: {received} Werte in den letzten {seconds} s, wo ein Abtastintervall von {interval} ms etwa {expected} ergibt, und jetzt gelesen {now} gegenüber zuletzt gesendet {last}: der Server sendet weniger Werte als angefordert (nur Änderungen?)</translation>
    </message>
    <message>
        <source>fewer values than asked from {tags} and {more} more</source>
        <translation>weniger Werte als angefordert von {tags} und {more} weiteren</translation>
    </message>
    <message>
        <source>fewer values than asked from {tags}</source>
        <translation>weniger Werte als angefordert von {tags}</translation>
    </message>
    <message>
        <source>{target} exists already: choose a new file name</source>
        <translation>{target} gibt es schon: einen neuen Dateinamen wählen</translation>
    </message>
    <message>
        <source>the database is at schema revision {revision}, this Wrenchbook expects {head_revision}: open it with this version once to upgrade it, then back it up</source>
        <translation>die Datenbank hat Schemastand {revision}, dieses Wrenchbook erwartet {head_revision}: einmal mit dieser Version öffnen, um sie zu aktualisieren, dann sichern</translation>
    </message>
    <message>
        <source>Connected. The database is empty: the next start creates it.</source>
        <translation>Verbunden. Die Datenbank ist leer: der nächste Start legt sie an.</translation>
    </message>
    <message>
        <source>Connected. Schema up to date (revision {revision}).</source>
        <translation>Verbunden. Schema aktuell (Stand {revision}).</translation>
    </message>
    <message>
        <source>Connected. Schema revision {revision} is upgraded to {head_revision} at the next start (after a backup of a SQLite file).</source>
        <translation>Verbunden. Schemastand {revision} wird beim nächsten Start auf {head_revision} aktualisiert (nach einer Sicherung einer SQLite-Datei).</translation>
    </message>
    <message>
        <source>Connected, but the schema (revision {revision}) is newer than this Wrenchbook ({head_revision}): update Wrenchbook on this workstation first.</source>
        <translation>Verbunden, aber das Schema (Stand {revision}) ist neuer als dieses Wrenchbook ({head_revision}): zuerst Wrenchbook auf diesem Arbeitsplatz aktualisieren.</translation>
    </message>
    <message>
        <source>{problems}</source>
        <translation>{problems}</translation>
    </message>
    <message>
        <source>The folder {parent} does not exist.</source>
        <translation>Den Ordner {parent} gibt es nicht.</translation>
    </message>
    <message>
        <source>No file yet: the next start creates {path}.</source>
        <translation>Noch keine Datei: der nächste Start legt {path} an.</translation>
    </message>
    <message>
        <source>Server reached. It asks everyone for their own login: each person logs in with their Wrenchbook user name and password.</source>
        <translation>Server erreicht. Er verlangt von allen eine eigene Anmeldung: jede Person meldet sich mit ihrem Wrenchbook-Benutzernamen und Passwort an.</translation>
    </message>
    <message>
        <source>Cannot connect: {reason}</source>
        <translation>Keine Verbindung: {reason}</translation>
    </message>
    <message>
        <source>cannot save the password in {store_name}: {exc}</source>
        <translation>das Passwort kann nicht in {store_name} gespeichert werden: {exc}</translation>
    </message>
    <message>
        <source>{raw} is not a plain number (e.g. 1234.5)</source>
        <translation>{raw} ist keine einfache Zahl (z. B. 1234.5)</translation>
    </message>
    <message>
        <source>{raw} is not a date (YYYY-MM-DD)</source>
        <translation>{raw} ist kein Datum (YYYY-MM-DD, z. B. 2026-12-05)</translation>
    </message>
    <message>
        <source>required: one of {allowed}</source>
        <translation>erforderlich: einer von {allowed}</translation>
    </message>
    <message>
        <source>{raw} is not one of {allowed}</source>
        <translation>{raw} ist nicht einer von {allowed}</translation>
    </message>
    <message>
        <source>old Excel format (.xls): save it as .xlsx or CSV</source>
        <translation>altes Excel-Format (.xls): als .xlsx oder CSV speichern</translation>
    </message>
    <message>
        <source>not a CSV or Excel (.xlsx) file</source>
        <translation>keine CSV- oder Excel-Datei (.xlsx)</translation>
    </message>
    <message>
        <source>{size} bytes; at most {max_file_bytes} can be imported at once</source>
        <translation>{size} Byte; höchstens {max_file_bytes} können auf einmal importiert werden</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>Datei nicht gefunden</translation>
    </message>
    <message>
        <source>a folder, not a file</source>
        <translation>ein Ordner, keine Datei</translation>
    </message>
    <message>
        <source>no permission to read it</source>
        <translation>keine Leseberechtigung</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>die Datei ist leer</translation>
    </message>
    <message>
        <source>cannot decode the text (tried {tried})</source>
        <translation>der Text lässt sich nicht dekodieren (versucht: {tried})</translation>
    </message>
    <message>
        <source>not a text file: it holds NUL bytes (binary data, or UTF-16 text without its byte-order mark): save it from Excel as CSV UTF-8</source>
        <translation>keine Textdatei: sie enthält NUL-Bytes (Binärdaten oder UTF-16-Text ohne Byte-Order-Mark): in Excel als „CSV UTF-8“ speichern</translation>
    </message>
    <message>
        <source>not a well-formed CSV file ({problem})</source>
        <translation>keine wohlgeformte CSV-Datei ({problem})</translation>
    </message>
    <message>
        <source>not a readable Excel workbook: the file is damaged or not .xlsx ({problem})</source>
        <translation>keine lesbare Excel-Arbeitsmappe: die Datei ist beschädigt oder kein .xlsx ({problem})</translation>
    </message>
    <message>
        <source>the workbook unpacks to {size} MB, more than the {limit} MB an import reads: split it, or save as CSV</source>
        <translation>die Arbeitsmappe ist entpackt {size} MB groß, mehr als die {limit} MB, die ein Import liest: aufteilen oder als CSV speichern</translation>
    </message>
    <message>
        <source>not a readable Excel workbook ({problem})</source>
        <translation>keine lesbare Excel-Arbeitsmappe ({problem})</translation>
    </message>
    <message>
        <source>sheet {title} has {rows} rows × {columns} columns, more than an import reads ({xlsx_max_rows} rows, {xlsx_max_cells} cells): split it</source>
        <translation>Blatt {title} hat {rows} Zeilen × {columns} Spalten, mehr als ein Import liest ({xlsx_max_rows} Zeilen, {xlsx_max_cells} Zellen): aufteilen</translation>
    </message>
    <message>
        <source>no data rows below the header</source>
        <translation>keine Datenzeilen unter der Kopfzeile</translation>
    </message>
    <message>
        <source>holds data but has no name</source>
        <translation>enthält Daten, hat aber keinen Namen</translation>
    </message>
    <message>
        <source>appears twice (columns {first} and {letter})</source>
        <translation>kommt doppelt vor (Spalten {first} und {letter})</translation>
    </message>
    <message>
        <source>passwords do not belong in spreadsheets: remove the column; every new user gets a generated password</source>
        <translation>Passwörter gehören nicht in Tabellen: die Spalte entfernen; jeder neue Benutzer erhält ein erzeugtes Passwort</translation>
    </message>
    <message>
        <source>missing required column(s) {missing} (found: {found})</source>
        <translation>Pflichtspalte(n) {missing} fehlen (gefunden: {found})</translation>
    </message>
    <message>
        <source>cycle {codes}</source>
        <translation>Kreis {codes}</translation>
    </message>
    <message>
        <source>a relay login over an unencrypted connection would send the password in clear text: set security to starttls (port 587) or tls (465)</source>
        <translation>eine Relay-Anmeldung über eine unverschlüsselte Verbindung sendet das Passwort im Klartext: Sicherheit auf starttls (Port 587) oder tls (465) setzen</translation>
    </message>
    <message>
        <source>no password for the relay login {username}: save it with `notify relay password` or set {smtp_password_env}</source>
        <translation>kein Passwort für die Relay-Anmeldung {username}: mit `notify relay password` speichern oder {smtp_password_env} setzen</translation>
    </message>
    <message>
        <source>the relay {where} refused the login {username}: {exc}</source>
        <translation>das Relay {where} hat die Anmeldung {username} abgewiesen: {exc}</translation>
    </message>
    <message>
        <source>the relay {where} refused the address {to}</source>
        <translation>das Relay {where} hat die Adresse {to} abgewiesen</translation>
    </message>
    <message>
        <source>TLS with {where} failed ({reason}): check the relay&apos;s certificate and the security setting (starttls on 587, tls on 465)</source>
        <translation>TLS mit {where} fehlgeschlagen ({reason}): Zertifikat des Relays und die Sicherheitseinstellung prüfen (starttls auf 587, tls auf 465)</translation>
    </message>
    <message>
        <source>cannot send through {where}: {exc}</source>
        <translation>Senden über {where} nicht möglich: {exc}</translation>
    </message>
    <message>
        <source>{email} is not a mail address (name@domain)</source>
        <translation>{email} ist keine E-Mail-Adresse (name@domain)</translation>
    </message>
    <message>
        <source>give the SMTP relay&apos;s host name</source>
        <translation>den Hostnamen des SMTP-Relays angeben</translation>
    </message>
    <message>
        <source>a port is 1-65535 (587 for STARTTLS, 465 for TLS)</source>
        <translation>ein Port ist 1-65535 (587 für STARTTLS, 465 für TLS)</translation>
    </message>
    <message>
        <source>one of {securities}</source>
        <translation>einer von {securities}</translation>
    </message>
    <message>
        <source>the From address, e.g. wrenchbook@plant.example</source>
        <translation>die Absenderadresse, z. B. wrenchbook@plant.example</translation>
    </message>
    <message>
        <source>no user {username}</source>
        <translation>kein Benutzer {username}</translation>
    </message>
    <message>
        <source>the database is not at this Wrenchbook&apos;s schema: open it first</source>
        <translation>die Datenbank hat nicht das Schema dieses Wrenchbook: zuerst öffnen</translation>
    </message>
    <message>
        <source>{source} fails its audit check: {problem}</source>
        <translation>{source} besteht die Audit-Prüfung nicht: {problem}</translation>
    </message>
    <message>
        <source>a restore replaces every table, so on the site server it needs the migrator login: run `restore --from FILE --yes --db postgresql+psycopg://MIGRATOR@HOST/DB`</source>
        <translation>eine Wiederherstellung ersetzt jede Tabelle und braucht deshalb auf dem Standortserver die Migrator-Anmeldung: `restore --from DATEI --yes --db postgresql+psycopg://MIGRATOR@HOST/DB` ausführen</translation>
    </message>
    <message>
        <source>this database has users: restoring over it needs an administrator (--user)</source>
        <translation>diese Datenbank hat Benutzer: eine Wiederherstellung darüber braucht einen Administrator (--user)</translation>
    </message>
    <message>
        <source>there is no backup file {source}</source>
        <translation>es gibt keine Sicherungsdatei {source}</translation>
    </message>
    <message>
        <source>{source} is not a Wrenchbook backup: it is not a SQLite database file</source>
        <translation>{source} ist keine Wrenchbook-Sicherung: keine SQLite-Datenbankdatei</translation>
    </message>
    <message>
        <source>{source} is damaged: {problems}</source>
        <translation>{source} ist beschädigt: {problems}</translation>
    </message>
    <message>
        <source>{source} is not a Wrenchbook backup: it has no {missing} table</source>
        <translation>{source} ist keine Wrenchbook-Sicherung: es fehlt die Tabelle {missing}</translation>
    </message>
    <message>
        <source>{source} is damaged: {exc}</source>
        <translation>{source} ist beschädigt: {exc}</translation>
    </message>
    <message>
        <source>{source} was made by another or a newer Wrenchbook (schema revision {made_at}); this one reads revisions up to {head_revision}</source>
        <translation>{source} wurde von einem anderen oder neueren Wrenchbook erstellt (Schemastand {made_at}); dieses liest Stände bis {head_revision}</translation>
    </message>
    <message>
        <source>cannot upgrade {source} from schema revision {revision}: {exc}</source>
        <translation>{source} kann nicht von Schemastand {revision} aktualisiert werden: {exc}</translation>
    </message>
    <message>
        <source>unknown user or wrong password</source>
        <translation>unbekannter Benutzer oder falsches Passwort</translation>
    </message>
    <message>
        <source>no Windows sign-on on this computer (no Kerberos ticket): log in to the domain (or run kinit), or log in with your password</source>
        <translation>keine Windows-Anmeldung auf diesem Computer (kein Kerberos-Ticket): an der Domäne anmelden (oder kinit ausführen) oder mit Ihrem Passwort anmelden</translation>
    </message>
    <message>
        <source>the server does not offer Windows sign-on here: log in with your password</source>
        <translation>der Server bietet hier keine Windows-Anmeldung an: mit Ihrem Passwort anmelden</translation>
    </message>
    <message>
        <source>Windows sign-on refused: the server does not let this Windows account log in as &apos;{name}&apos; (no such user, deactivated, or another person&apos;s)</source>
        <translation>Windows-Anmeldung abgelehnt: der Server meldet dieses Windows-Konto nicht als „{name}“ an (kein solcher Benutzer, deaktiviert oder das Konto einer anderen Person)</translation>
    </message>
    <message>
        <source>at least {min_password_length} characters</source>
        <translation>mindestens {min_password_length} Zeichen</translation>
    </message>
    <message>
        <source>letters and at least one digit or symbol</source>
        <translation>Buchstaben und mindestens eine Ziffer oder ein Sonderzeichen</translation>
    </message>
    <message>
        <source>no user name in it</source>
        <translation>keinen Benutzernamen darin</translation>
    </message>
    <message>
        <source>no spaces at the start or end</source>
        <translation>keine Leerzeichen am Anfang oder Ende</translation>
    </message>
    <message>
        <source>not a common word with digits or symbols added (like Password1!)</source>
        <translation>kein gängiges Wort mit angehängten Ziffern oder Zeichen (wie Passwort1!)</translation>
    </message>
    <message>
        <source>{shortest} to {longest} digits</source>
        <translation>{shortest} bis {longest} Ziffern</translation>
    </message>
    <message>
        <source>not one digit repeated or a run like 1234</source>
        <translation>keine wiederholte Ziffer und keine Folge wie 1234</translation>
    </message>
    <message>
        <source>not a repeated pattern like 1212 or a keypad line like 2580</source>
        <translation>kein wiederholtes Muster wie 1212 und keine Tastenreihe wie 2580</translation>
    </message>
    <message>
        <source>at most 200 characters</source>
        <translation>höchstens 200 Zeichen</translation>
    </message>
    <message>
        <source>must not be negative</source>
        <translation>darf nicht negativ sein</translation>
    </message>
    <message>
        <source>must be between 0 and 80</source>
        <translation>muss zwischen 0 und 80 liegen</translation>
    </message>
    <message>
        <source>letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; only, not empty</source>
        <translation>nur Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;, nicht leer</translation>
    </message>
    <message>
        <source>at most 64 characters</source>
        <translation>höchstens 64 Zeichen</translation>
    </message>
    <message>
        <source>needs {rules}</source>
        <translation>braucht {rules}</translation>
    </message>
    <message>
        <source>{time} UTC</source>
        <translation>{time} UTC</translation>
    </message>
    <message>
        <source>later</source>
        <translation>später</translation>
    </message>
    <message>
        <source>{username} is locked after {failures} failed log-ins until {until}; wait, or ask an administrator to unlock the account</source>
        <translation>{username} ist nach {failures} fehlgeschlagenen Anmeldungen bis {until} gesperrt; warten oder einen Administrator bitten, das Konto zu entsperren</translation>
    </message>
    <message>
        <source>users exist already; log in as an admin</source>
        <translation>es gibt schon Benutzer; als Administrator anmelden</translation>
    </message>
    <message>
        <source>{username} is taken</source>
        <translation>{username} ist schon vergeben</translation>
    </message>
    <message>
        <source>this database login is no person&apos;s own: no sign-on</source>
        <translation>diese Datenbankanmeldung gehört keiner Person: keine Anmeldung möglich</translation>
    </message>
    <message>
        <source>the last active administrator stays one; make another first</source>
        <translation>der letzte aktive Administrator bleibt einer; zuerst einen anderen ernennen</translation>
    </message>
    <message>
        <source>you cannot deactivate your own account</source>
        <translation>das eigene Konto kann nicht deaktiviert werden</translation>
    </message>
    <message>
        <source>the last active administrator cannot be deactivated</source>
        <translation>der letzte aktive Administrator kann nicht deaktiviert werden</translation>
    </message>
    <message>
        <source>no active user {username}</source>
        <translation>kein aktiver Benutzer {username}</translation>
    </message>
    <message>
        <source>cannot read the database URL: write e.g. sqlite:///C:/Wrenchbook/wrenchbook.sqlite3 or postgresql+psycopg://user@server/wrenchbook</source>
        <translation>die Datenbank-URL ist nicht lesbar: z. B. sqlite:///C:/Wrenchbook/wrenchbook.sqlite3 oder postgresql+psycopg://user@server/wrenchbook schreiben</translation>
    </message>
    <message>
        <source>give the SQLite file&apos;s path (an in-memory database keeps nothing)</source>
        <translation>den Pfad der SQLite-Datei angeben (eine In-Memory-Datenbank behält nichts)</translation>
    </message>
    <message>
        <source>unsupported database {drivername}: use SQLite or PostgreSQL</source>
        <translation>Datenbank {drivername} wird nicht unterstützt: SQLite oder PostgreSQL verwenden</translation>
    </message>
    <message>
        <source>take the password out of the URL: the settings file is readable by anyone on this computer; the password goes into the password field</source>
        <translation>das Passwort aus der URL nehmen: die Einstellungsdatei kann jeder auf diesem Computer lesen; das Passwort gehört ins Passwortfeld</translation>
    </message>
    <message>
        <source>give the PostgreSQL server&apos;s host name</source>
        <translation>den Hostnamen des PostgreSQL-Servers angeben</translation>
    </message>
    <message>
        <source>give the name of the database on the server</source>
        <translation>den Namen der Datenbank auf dem Server angeben</translation>
    </message>
    <message>
        <source>write the OPC UA endpoint as opc.tcp://host:port/path</source>
        <translation>den OPC-UA-Endpunkt als opc.tcp://host:port/pfad schreiben</translation>
    </message>
    <message>
        <source>OPC UA security must be one of {security_modes}</source>
        <translation>die OPC-UA-Sicherheit muss eine von {security_modes} sein</translation>
    </message>
    <message>
        <source>OPC UA security policy must be one of {policies}</source>
        <translation>die OPC-UA-Sicherheitsrichtlinie muss eine von {policies} sein</translation>
    </message>
    <message>
        <source>give both the client certificate and its private key, or neither</source>
        <translation>Client-Zertifikat und privaten Schlüssel beide angeben oder keins von beiden</translation>
    </message>
    <message>
        <source>the {label} file {path} does not exist</source>
        <translation>die Datei für {label} {path} gibt es nicht</translation>
    </message>
    <message>
        <source>needs a time zone</source>
        <translation>braucht eine Zeitzone</translation>
    </message>
    <message>
        <source>no asset {code}</source>
        <translation>keine Anlage {code}</translation>
    </message>
    <message>
        <source>cannot write to {value}: {strerror}</source>
        <translation>kann nicht nach {value} schreiben: {strerror}</translation>
    </message>
    <message>
        <source>{name} has more rows than an Excel sheet holds ({value}): export CSV files instead</source>
        <translation>{name} hat mehr Zeilen, als ein Excel-Blatt fasst ({value}): stattdessen CSV-Dateien exportieren</translation>
    </message>
    <message>
        <source>no export format for {kind}</source>
        <translation>kein Exportformat für {kind}</translation>
    </message>
    <message>
        <source>give the period as aware (UTC) times</source>
        <translation>den Zeitraum als Zeiten mit Zeitzone (UTC) angeben</translation>
    </message>
    <message>
        <source>the period must be at least one day long (--to after --from)</source>
        <translation>der Zeitraum muss mindestens einen Tag lang sein (--to nach --from)</translation>
    </message>
    <message>
        <source>this period and the one before it must lie between {earliest} and {latest}</source>
        <translation>dieser Zeitraum und der davor müssen zwischen {earliest} und {latest} liegen</translation>
    </message>
    <message>
        <source>1 to {max_buckets}</source>
        <translation>1 bis {max_buckets}</translation>
    </message>
    <message>
        <source>no asset {area}</source>
        <translation>keine Anlage {area}</translation>
    </message>
    <message>
        <source>no asset file {attachment_id}</source>
        <translation>keine Anlagendatei {attachment_id}</translation>
    </message>
    <message>
        <source>more than 0 and at most {max_quantity}</source>
        <translation>mehr als 0 und höchstens {max_quantity}</translation>
    </message>
    <message>
        <source>choose a part</source>
        <translation>ein Teil wählen</translation>
    </message>
    <message>
        <source>{number} is not on the spare-parts list of {code}</source>
        <translation>{number} steht nicht auf der Ersatzteilliste von {code}</translation>
    </message>
    <message>
        <source>no part {number}</source>
        <translation>kein Teil {number}</translation>
    </message>
    <message>
        <source>1-64 characters without spaces</source>
        <translation>1-64 Zeichen ohne Leerzeichen</translation>
    </message>
    <message>
        <source>required (e.g. pump, motor, conveyor)</source>
        <translation>erforderlich (z. B. Pumpe, Motor, Förderband)</translation>
    </message>
    <message>
        <source>{level} needs a parent asset</source>
        <translation>{level} braucht eine übergeordnete Anlage</translation>
    </message>
    <message>
        <source>no asset {parent_code}</source>
        <translation>keine Anlage {parent_code}</translation>
    </message>
    <message>
        <source>{level} cannot sit under {parent_level}</source>
        <translation>{level} kann nicht unter {parent_level} stehen</translation>
    </message>
    <message>
        <source>an {level}</source>
        <translation>{level}</translation>
    </message>
    <message>
        <source>a {level}</source>
        <translation>{level}</translation>
    </message>
    <message>
        <source>the site is set up by an admin once users exist</source>
        <translation>sobald es Benutzer gibt, richtet ein Administrator den Standort ein</translation>
    </message>
    <message>
        <source>{code} exists already</source>
        <translation>{code} gibt es schon</translation>
    </message>
    <message>
        <source>no site yet: run `init` first</source>
        <translation>noch kein Standort: zuerst `init` ausführen</translation>
    </message>
    <message>
        <source>use Retire: it checks the open work first</source>
        <translation>„Außer Dienst stellen“ verwenden: es prüft zuerst die offene Arbeit</translation>
    </message>
    <message>
        <source>{parent_code} is {asset_code} itself or below it</source>
        <translation>{parent_code} ist {asset_code} selbst oder liegt darunter</translation>
    </message>
    <message>
        <source>say why (sold, scrapped, replaced by ...)</source>
        <translation>den Grund angeben (verkauft, verschrottet, ersetzt durch …)</translation>
    </message>
    <message>
        <source>finish or cancel its open work first: {orders}</source>
        <translation>zuerst die offene Arbeit abschließen oder stornieren: {orders}</translation>
    </message>
    <message>
        <source>its sub-assets include a {below}; it must stay above that level</source>
        <translation>unter ihren Teilanlagen ist eine Ebene {below}; sie muss darüber bleiben</translation>
    </message>
    <message>
        <source>at most 120 characters</source>
        <translation>höchstens 120 Zeichen</translation>
    </message>
    <message>
        <source>the value the counter wraps at, more than 0</source>
        <translation>der Wert, bei dem der Zähler zurückspringt, mehr als 0</translation>
    </message>
    <message>
        <source>no asset {asset_code}</source>
        <translation>keine Anlage {asset_code}</translation>
    </message>
    <message>
        <source>a meter {code} exists already</source>
        <translation>einen Zähler {code} gibt es schon</translation>
    </message>
    <message>
        <source>the time needs a time zone</source>
        <translation>die Zeit braucht eine Zeitzone</translation>
    </message>
    <message>
        <source>the time is in the future</source>
        <translation>die Zeit liegt in der Zukunft</translation>
    </message>
    <message>
        <source>no meter {code}</source>
        <translation>kein Zähler {code}</translation>
    </message>
    <message>
        <source>no meter {meter_code}</source>
        <translation>kein Zähler {meter_code}</translation>
    </message>
    <message>
        <source>the shifts add up to more than 24 hours</source>
        <translation>die Schichten ergeben zusammen mehr als 24 Stunden</translation>
    </message>
    <message>
        <source>needs a country</source>
        <translation>braucht ein Land</translation>
    </message>
    <message>
        <source>must not be before the first day</source>
        <translation>darf nicht vor dem ersten Tag liegen</translation>
    </message>
    <message>
        <source>required (e.g. summer shutdown)</source>
        <translation>erforderlich (z. B. Sommerstillstand)</translation>
    </message>
    <message>
        <source>no shutdown {name} from {day}</source>
        <translation>keine Betriebsruhe {name} ab {day}</translation>
    </message>
    <message>
        <source>set up the site first (wrenchbook init)</source>
        <translation>zuerst den Standort einrichten (wrenchbook init)</translation>
    </message>
    <message>
        <source>no rule {rule_id}</source>
        <translation>keine Regel {rule_id}</translation>
    </message>
    <message>
        <source>no alarm {alarm_id}</source>
        <translation>kein Alarm {alarm_id}</translation>
    </message>
    <message>
        <source>not in the proposal</source>
        <translation>nicht im Vorschlag</translation>
    </message>
    <message>
        <source>accept its parent {parent_code} too</source>
        <translation>auch die übergeordnete Anlage {parent_code} übernehmen</translation>
    </message>
    <message>
        <source>accept its asset {asset_code} too</source>
        <translation>auch die Anlage {asset_code} übernehmen</translation>
    </message>
    <message>
        <source>required (the namespace URI, not its index)</source>
        <translation>erforderlich (die Namespace-URI, nicht ihr Index)</translation>
    </message>
    <message>
        <source>write it as i=…, s=…, g=… or b=… without ns=</source>
        <translation>als i=…, s=…, g=… oder b=… ohne ns= schreiben</translation>
    </message>
    <message>
        <source>{name} appears twice</source>
        <translation>{name} kommt doppelt vor</translation>
    </message>
    <message>
        <source>no tag {tag_name}</source>
        <translation>kein Tag {tag_name}</translation>
    </message>
    <message>
        <source>must be zero (no check) or more minutes</source>
        <translation>muss null (keine Prüfung) oder mehr Minuten sein</translation>
    </message>
    <message>
        <source>a rule named {name} exists</source>
        <translation>eine Regel namens {name} gibt es schon</translation>
    </message>
    <message>
        <source>missing column(s) {missing}</source>
        <translation>fehlende Spalte(n) {missing}</translation>
    </message>
    <message>
        <source>one of {kinds}</source>
        <translation>eine von {kinds}</translation>
    </message>
    <message>
        <source>a whole number of milliseconds, or empty for the tag class&apos;s default</source>
        <translation>eine ganze Zahl von Millisekunden, oder leer für den Standard der Tag-Klasse</translation>
    </message>
    <message>
        <source>give your name (2 to 100 characters)</source>
        <translation>Ihren Namen angeben (2 bis 100 Zeichen)</translation>
    </message>
    <message>
        <source>this kiosk&apos;s account {kiosk_account} does not exist or is inactive: an administrator creates it (a viewer) or sets kiosk/account</source>
        <translation>das Konto {kiosk_account} dieses Kiosks gibt es nicht oder es ist inaktiv: ein Administrator legt es an (als Betrachter) oder setzt kiosk/account</translation>
    </message>
    <message>
        <source>alarm {id} is on another asset than {code}</source>
        <translation>Alarm {id} gehört zu einer anderen Anlage als {code}</translation>
    </message>
    <message>
        <source>1-32 characters without spaces</source>
        <translation>1-32 Zeichen ohne Leerzeichen</translation>
    </message>
    <message>
        <source>a checklist needs at least one item</source>
        <translation>eine Checkliste braucht mindestens einen Punkt</translation>
    </message>
    <message>
        <source>needs a text of at most 300 characters</source>
        <translation>braucht einen Text von höchstens 300 Zeichen</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is a measurement: give its unit</source>
        <translation>„{text}“ ist eine Messung: ihre Einheit angeben</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is a measurement: give a low or high limit</source>
        <translation>„{text}“ ist eine Messung: eine untere oder obere Grenze angeben</translation>
    </message>
    <message>
        <source>&quot;{text}&quot;: the low limit is above the high limit</source>
        <translation>„{text}“: die untere Grenze liegt über der oberen</translation>
    </message>
    <message>
        <source>&quot;{text}&quot;: only measurements have a unit and limits</source>
        <translation>„{text}“: nur Messungen haben eine Einheit und Grenzen</translation>
    </message>
    <message>
        <source>a code appears twice in the import</source>
        <translation>ein Code kommt im Import doppelt vor</translation>
    </message>
    <message>
        <source>a checklist {code} exists already</source>
        <translation>eine Checkliste {code} gibt es schon</translation>
    </message>
    <message>
        <source>no checklist template {code}</source>
        <translation>keine Checklistenvorlage {code}</translation>
    </message>
    <message>
        <source>write the number of the lock you hung</source>
        <translation>die Nummer des angebrachten Schlosses eintragen</translation>
    </message>
    <message>
        <source>already locked</source>
        <translation>schon verschlossen</translation>
    </message>
    <message>
        <source>lock it before verifying</source>
        <translation>vor der Prüfung verschließen</translation>
    </message>
    <message>
        <source>tag {name} proves zero energy but the plant connection is not available: connect to the plant and verify again</source>
        <translation>Tag {name} belegt die Energiefreiheit, aber die Verbindung zur Anlage fehlt: mit der Anlage verbinden und erneut prüfen</translation>
    </message>
    <message>
        <source>{name} reads {reading} (zero is at most {zero_max}): the machine is energised; verification refused</source>
        <translation>{name} zeigt {reading} (null ist höchstens {zero_max}): die Maschine steht unter Energie; Prüfung abgelehnt</translation>
    </message>
    <message>
        <source>no lock on it to remove</source>
        <translation>kein Schloss daran zum Entfernen</translation>
    </message>
    <message>
        <source>no safety alarm on {number} isolation {position}</source>
        <translation>kein Sicherheitsalarm an {number} Trennstelle {position}</translation>
    </message>
    <message>
        <source>already {acknowledgement}</source>
        <translation>schon {acknowledgement}</translation>
    </message>
    <message>
        <source>{username}: {problem}</source>
        <translation>{username}: {problem}</translation>
    </message>
    <message>
        <source>{number} is {status}</source>
        <translation>{number} ist {status}</translation>
    </message>
    <message>
        <source>{number}&apos;s asset has no isolation point {position}</source>
        <translation>die Anlage von {number} hat keine Trennstelle {position}</translation>
    </message>
    <message>
        <source>no work order {number}</source>
        <translation>kein Arbeitsauftrag {number}</translation>
    </message>
    <message>
        <source>unknown stop reason {reason}; one of {codes}</source>
        <translation>unbekannter Stillstandsgrund {reason}; einer von {codes}</translation>
    </message>
    <message>
        <source>no machine stop {period_id}</source>
        <translation>kein Maschinenstillstand {period_id}</translation>
    </message>
    <message>
        <source>stop {period_id} is not a stop of {number}&apos;s asset</source>
        <translation>Stillstand {period_id} gehört nicht zur Anlage von {number}</translation>
    </message>
    <message>
        <source>give the mail server&apos;s host name</source>
        <translation>den Hostnamen des Mailservers angeben</translation>
    </message>
    <message>
        <source>a port is 1-65535 (993 for TLS, 143 for STARTTLS)</source>
        <translation>ein Port ist 1-65535 (993 für TLS, 143 für STARTTLS)</translation>
    </message>
    <message>
        <source>one of tls, starttls, none</source>
        <translation>eines von tls, starttls, none</translation>
    </message>
    <message>
        <source>the mailbox&apos;s login name</source>
        <translation>der Anmeldename des Postfachs</translation>
    </message>
    <message>
        <source>an unencrypted mailbox login would send the password in clear text: set security to tls (port 993) or starttls (143)</source>
        <translation>eine unverschlüsselte Postfach-Anmeldung sendet das Passwort im Klartext: Sicherheit auf tls (Port 993) oder starttls (143) setzen</translation>
    </message>
    <message>
        <source>no asset {default_asset}: give the code of the asset that mails naming none are filed under</source>
        <translation>keine Anlage {default_asset}: den Code der Anlage angeben, unter der Mails ohne Anlage abgelegt werden</translation>
    </message>
    <message>
        <source>larger than 30 MiB; ask the sender to link files</source>
        <translation>größer als 30 MiB; den Absender bitten, Dateien zu verlinken</translation>
    </message>
    <message>
        <source>the mail names no asset code and no default asset is set: notify mailbox set default_asset=CODE</source>
        <translation>die Mail nennt keinen Anlagencode und es ist keine Standardanlage gesetzt: notify mailbox set default_asset=CODE</translation>
    </message>
    <message>
        <source>no mailbox set: notify mailbox set host=… port=993 security=tls username=… default_asset=CODE</source>
        <translation>kein Postfach eingerichtet: notify mailbox set host=… port=993 security=tls username=… default_asset=CODE</translation>
    </message>
    <message>
        <source>no password for the mailbox login {username}: save it in the credential store as &apos;{imap_service}&apos; or set {imap_password_env}</source>
        <translation>kein Passwort für die Postfach-Anmeldung {username}: in der Anmeldeinformationsverwaltung als &apos;{imap_service}&apos; speichern oder {imap_password_env} setzen</translation>
    </message>
    <message>
        <source>the mailbox has no folder {folder}</source>
        <translation>das Postfach hat keinen Ordner {folder}</translation>
    </message>
    <message>
        <source>the mail server {where} refused: {exc}</source>
        <translation>der Mailserver {where} hat abgelehnt: {exc}</translation>
    </message>
    <message>
        <source>TLS with {where} failed ({reason}): check the server&apos;s certificate and the security setting (tls on 993, starttls on 143)</source>
        <translation>TLS mit {where} fehlgeschlagen ({reason}): Zertifikat des Servers und die Sicherheitseinstellung prüfen (tls auf 993, starttls auf 143)</translation>
    </message>
    <message>
        <source>cannot reach the mail server {where}: {exc}</source>
        <translation>der Mailserver {where} ist nicht erreichbar: {exc}</translation>
    </message>
    <message>
        <source>at most 20,000 characters</source>
        <translation>höchstens 20.000 Zeichen</translation>
    </message>
    <message>
        <source>the incoming shift has acknowledged this handover: add to the next one</source>
        <translation>die nächste Schicht hat diese Übergabe bestätigt: zur nächsten hinzufügen</translation>
    </message>
    <message>
        <source>another user</source>
        <translation>ein anderer Benutzer</translation>
    </message>
    <message>
        <source>{label} was acknowledged already</source>
        <translation>{label} wurde schon bestätigt</translation>
    </message>
    <message>
        <source>the incoming shift acknowledges: not who wrote the notes</source>
        <translation>die nächste Schicht bestätigt: nicht wer die Notizen schrieb</translation>
    </message>
    <message>
        <source>no shift handover {handover_id}</source>
        <translation>keine Schichtübergabe {handover_id}</translation>
    </message>
    <message>
        <source>possible duplicate: open {type} work order {number} &quot;{title}&quot; ({status}) on {asset_code}</source>
        <translation>möglicher Doppelauftrag: offener Auftrag ({type}) {number} „{title}“ ({status}) an {asset_code}</translation>
    </message>
    <message>
        <source>at most {max_title} characters</source>
        <translation>höchstens {max_title} Zeichen</translation>
    </message>
    <message>
        <source>must be more than 0 and at most 10000</source>
        <translation>muss mehr als 0 und höchstens 10000 sein</translation>
    </message>
    <message>
        <source>must be a code (text) or empty</source>
        <translation>muss ein Code (Text) oder leer sein</translation>
    </message>
    <message>
        <source>must be text</source>
        <translation>muss Text sein</translation>
    </message>
    <message>
        <source>must be yes or no (true/false)</source>
        <translation>muss ja oder nein sein (true/false)</translation>
    </message>
    <message>
        <source>required, at most {max_title} characters</source>
        <translation>erforderlich, höchstens {max_title} Zeichen</translation>
    </message>
    <message>
        <source>1 (emergency) to 4 (low)</source>
        <translation>1 (Notfall) bis 4 (niedrig)</translation>
    </message>
    <message>
        <source>must be a number of hours, more than 0 and at most 10000</source>
        <translation>muss eine Stundenzahl sein, mehr als 0 und höchstens 10000</translation>
    </message>
    <message>
        <source>needs a date and time with a time zone</source>
        <translation>braucht Datum und Uhrzeit mit Zeitzone</translation>
    </message>
    <message>
        <source>must be after the scheduled start</source>
        <translation>muss nach dem geplanten Beginn liegen</translation>
    </message>
    <message>
        <source>{lead} is not among the assignees</source>
        <translation>{lead} ist nicht unter den Zugewiesenen</translation>
    </message>
    <message>
        <source>no active user {missing}</source>
        <translation>kein aktiver Benutzer {missing}</translation>
    </message>
    <message>
        <source>{not_crew} cannot do work</source>
        <translation>{not_crew} kann keine Arbeit ausführen</translation>
    </message>
    <message>
        <source>{user} is already booked on {other} at that time</source>
        <translation>{user} ist zu dieser Zeit schon für {other} eingeplant</translation>
    </message>
    <message>
        <source>its alarm or repair start kept changing while the signal was read; try again</source>
        <translation>sein Alarm oder Reparaturbeginn hat sich beim Lesen des Signals geändert; erneut versuchen</translation>
    </message>
    <message>
        <source>move to {status}</source>
        <translation>nach „{status}“ verschieben</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>it is {status}, which can move to {allowed}</source>
        <translation>er ist {status}; möglich ist nur: {allowed}</translation>
    </message>
    <message>
        <source>cannot {verb} {number}: {username} is a {role}; needs {roles}</source>
        <translation>{number}: {verb} nicht möglich: {username} ist {role}; nötig ist {roles}</translation>
    </message>
    <message>
        <source>{username} may only log their own hours</source>
        <translation>{username} darf nur eigene Stunden erfassen</translation>
    </message>
    <message>
        <source>more than 0 and at most 24 per entry</source>
        <translation>mehr als 0 und höchstens 24 je Eintrag</translation>
    </message>
    <message>
        <source>cannot be in the future</source>
        <translation>darf nicht in der Zukunft liegen</translation>
    </message>
    <message>
        <source>no active technician {technician}</source>
        <translation>kein aktiver Techniker {technician}</translation>
    </message>
    <message>
        <source>start and end need a time zone</source>
        <translation>Beginn und Ende brauchen eine Zeitzone</translation>
    </message>
    <message>
        <source>must be after the start</source>
        <translation>muss nach dem Beginn liegen</translation>
    </message>
    <message>
        <source>must be after the start {start}</source>
        <translation>muss nach dem Beginn {start} liegen</translation>
    </message>
    <message>
        <source>{number} has no checklist item {position}</source>
        <translation>{number} hat keinen Checklistenpunkt {position}</translation>
    </message>
    <message>
        <source>a safety sign-off needs the signer&apos;s own password</source>
        <translation>eine Sicherheitsunterschrift braucht das eigene Passwort der unterschreibenden Person</translation>
    </message>
    <message>
        <source>no work order {missing}</source>
        <translation>kein Arbeitsauftrag {missing}</translation>
    </message>
    <message>
        <source>one of {sort_columns}</source>
        <translation>eine von {sort_columns}</translation>
    </message>
    <message>
        <source>{number} is {status} and read-only; add an addendum instead</source>
        <translation>{number} ist {status} und schreibgeschützt; stattdessen einen Nachtrag anfügen</translation>
    </message>
    <message>
        <source>no active checklist template {missing}</source>
        <translation>keine aktive Checklistenvorlage {missing}</translation>
    </message>
    <message>
        <source>craft or technician</source>
        <translation>Gewerk oder Techniker</translation>
    </message>
    <message>
        <source>{number} is not an order of a PM schedule</source>
        <translation>{number} ist kein Auftrag eines Wartungsplans</translation>
    </message>
    <message>
        <source>{day} is not a working day ({why})</source>
        <translation>{day} ist kein Arbeitstag ({why})</translation>
    </message>
    <message>
        <source>{day} is in a blackout of {code}{label}: {first}–{last}</source>
        <translation>{day} liegt in einer Sperrzeit von {code}{label}: {first}–{last}</translation>
    </message>
    <message>
        <source>required, at most 200 characters</source>
        <translation>erforderlich, höchstens 200 Zeichen</translation>
    </message>
    <message>
        <source>give both the number and the unit (e.g. 3 months)</source>
        <translation>Zahl und Einheit angeben (z. B. 3 Monate)</translation>
    </message>
    <message>
        <source>every 1 to 1000 days, weeks, months or years</source>
        <translation>alle 1 bis 1000 Tage, Wochen, Monate oder Jahre</translation>
    </message>
    <message>
        <source>give both the meter and the interval (e.g. every 500 h)</source>
        <translation>Zähler und Intervall angeben (z. B. alle 500 h)</translation>
    </message>
    <message>
        <source>the meter interval must be a number more than 0</source>
        <translation>das Zählerintervall muss eine Zahl größer 0 sein</translation>
    </message>
    <message>
        <source>give a calendar interval, a meter interval, or both</source>
        <translation>ein Kalenderintervall, ein Zählerintervall oder beide angeben</translation>
    </message>
    <message>
        <source>0 to {max_lead_days} days</source>
        <translation>0 bis {max_lead_days} Tage</translation>
    </message>
    <message>
        <source>more than 0 and at most 10000</source>
        <translation>mehr als 0 und höchstens 10000</translation>
    </message>
    <message>
        <source>every kit line needs a part number</source>
        <translation>jede Kit-Zeile braucht eine Teilenummer</translation>
    </message>
    <message>
        <source>a part number appears twice; give it once with the total quantity</source>
        <translation>eine Teilenummer kommt doppelt vor; einmal mit der Gesamtmenge angeben</translation>
    </message>
    <message>
        <source>quantities must be numbers more than 0</source>
        <translation>Mengen müssen Zahlen größer 0 sein</translation>
    </message>
    <message>
        <source>a blackout ends before it starts</source>
        <translation>eine Sperrzeit endet vor ihrem Beginn</translation>
    </message>
    <message>
        <source>a schedule {code} exists already</source>
        <translation>einen Wartungsplan {code} gibt es schon</translation>
    </message>
    <message>
        <source>ends before it starts</source>
        <translation>endet vor dem Beginn</translation>
    </message>
    <message>
        <source>no PM schedule {code}</source>
        <translation>kein Wartungsplan {code}</translation>
    </message>
    <message>
        <source>no active checklist template {checklist_code}</source>
        <translation>keine aktive Checklistenvorlage {checklist_code}</translation>
    </message>
    <message>
        <source>no active technician of the craft {craft}</source>
        <translation>kein aktiver Techniker des Gewerks {craft}</translation>
    </message>
    <message>
        <source>the file needs a name</source>
        <translation>die Datei braucht einen Namen</translation>
    </message>
    <message>
        <source>{name}… has a name longer than 255 characters; shorten it</source>
        <translation>{name}… hat einen Namen mit mehr als 255 Zeichen; kürzen</translation>
    </message>
    <message>
        <source>{name} is {value} MiB, larger than {mib} MiB; shrink or split it, or put it on the file server and note its path</source>
        <translation>{name} ist {value} MiB groß, mehr als {mib} MiB; verkleinern oder aufteilen, oder auf den Dateiserver legen und den Pfad notieren</translation>
    </message>
    <message>
        <source>{name} is empty</source>
        <translation>{name} ist leer</translation>
    </message>
    <message>
        <source>{name} is {label}; attach {accepted}</source>
        <translation>{name} ist {label}; anhängen lässt sich {accepted}</translation>
    </message>
    <message>
        <source>{name} is {label} by its content, not {suffix}; rename it {expected}</source>
        <translation>{name} ist dem Inhalt nach {label}, nicht {suffix}; in {expected} umbenennen</translation>
    </message>
    <message>
        <source>{name}: {shown} not accepted; it is {label}, so name it {expected}</source>
        <translation>{name}: {shown} nicht angenommen; es ist {label}, also {expected} nennen</translation>
    </message>
    <message>
        <source>cannot read {name}: {strerror}</source>
        <translation>{name} ist nicht lesbar: {strerror}</translation>
    </message>
    <message>
        <source>{text} is not an anchor: write SEQ:HASH as verify-audit printed it (e.g. 120:3fa9…, 64 hex digits), or row:SEQ:HASH for the row log</source>
        <translation>{text} ist kein Anker: SEQ:HASH so schreiben, wie verify-audit es ausgab (z. B. 120:3fa9…, 64 Hex-Ziffern), oder row:SEQ:HASH für das Zeilenprotokoll</translation>
    </message>
    <message>
        <source>the anchor {anchor} names an entry that is gone: entries from {seq} on were removed</source>
        <translation>der Anker {anchor} nennt einen Eintrag, den es nicht mehr gibt: Einträge ab {seq} wurden entfernt</translation>
    </message>
    <message>
        <source>entry {seq} no longer has the anchor&apos;s hash: the chain up to it was rewritten and recomputed</source>
        <translation>Eintrag {seq} hat nicht mehr den Hash des Ankers: die Kette bis dorthin wurde umgeschrieben und neu berechnet</translation>
    </message>
    <message>
        <source>row change {number} is missing</source>
        <translation>Zeilenänderung {number} fehlt</translation>
    </message>
    <message>
        <source>its link to the previous row change was altered</source>
        <translation>ihre Verknüpfung zur vorigen Zeilenänderung wurde verändert</translation>
    </message>
    <message>
        <source>its content was altered ({operation} {table_name} {row_key} by {db_user}, {at} UTC)</source>
        <translation>ihr Inhalt wurde verändert ({operation} {table_name} {row_key} durch {db_user}, {at} UTC)</translation>
    </message>
    <message>
        <source>only an intact chain is a checkpoint</source>
        <translation>nur eine intakte Kette ist ein Prüfpunkt</translation>
    </message>
    <message>
        <source>1-{limit} characters without spaces</source>
        <translation>1-{limit} Zeichen ohne Leerzeichen</translation>
    </message>
    <message>
        <source>must be more than 0</source>
        <translation>muss mehr als 0 sein</translation>
    </message>
    <message>
        <source>{number} exists already</source>
        <translation>{number} gibt es schon</translation>
    </message>
    <message>
        <source>no vendor {vendor_code}</source>
        <translation>kein Lieferant {vendor_code}</translation>
    </message>
    <message>
        <source>stock of {part_number} in {bin_code}</source>
        <translation>Bestand von {part_number} in {bin_code}</translation>
    </message>
    <message>
        <source>only {used} of {part_number} were issued to {wo_number}; cannot return {quantity}</source>
        <translation>nur {used} von {part_number} wurden für {wo_number} entnommen; {quantity} können nicht zurückgegeben werden</translation>
    </message>
    <message>
        <source>give the unit cost, or the purchase order</source>
        <translation>die Stückkosten oder die Bestellung angeben</translation>
    </message>
    <message>
        <source>must be a number, not negative</source>
        <translation>muss eine Zahl sein, nicht negativ</translation>
    </message>
    <message>
        <source>required (e.g. stock count, damaged, found)</source>
        <translation>erforderlich (z. B. Inventur, beschädigt, gefunden)</translation>
    </message>
    <message>
        <source>must be a number, at least {smallest} up or down</source>
        <translation>muss eine Zahl sein, mindestens {smallest} nach oben oder unten</translation>
    </message>
    <message>
        <source>adjust</source>
        <translation>Korrektur</translation>
    </message>
    <message>
        <source>must differ from the bin moved out of</source>
        <translation>muss sich vom Quell-Lagerplatz unterscheiden</translation>
    </message>
    <message>
        <source>{number} is {status}: its parts list is final</source>
        <translation>{number} ist {status}: die Teileliste ist endgültig</translation>
    </message>
    <message>
        <source>{part}: {missing} missing and no vendor set</source>
        <translation>{part}: {missing} fehlen, und kein Lieferant ist gesetzt</translation>
    </message>
    <message>
        <source>was to start on {day}</source>
        <translation>sollte am {day} beginnen</translation>
    </message>
    <message>
        <source>starts within a day</source>
        <translation>beginnt innerhalb eines Tages</translation>
    </message>
    <message>
        <source>starts in {days} days</source>
        <translation>beginnt in {days} Tagen</translation>
    </message>
    <message>
        <source>{part}: {missing} missing; {name} needs {lead_time_days} days but {number} {when}</source>
        <translation>{part}: {missing} fehlen; {name} braucht {lead_time_days} Tage, aber {number} {when}</translation>
    </message>
    <message>
        <source>no part {part}</source>
        <translation>kein Teil {part}</translation>
    </message>
    <message>
        <source>0 to 365 days</source>
        <translation>0 bis 365 Tage</translation>
    </message>
    <message>
        <source>required, at most 16 characters (e.g. each, m, l, kg)</source>
        <translation>erforderlich, höchstens 16 Zeichen (z. B. Stk, m, l, kg)</translation>
    </message>
    <message>
        <source>must be at least the minimum (or 0 to use the reorder quantity)</source>
        <translation>muss mindestens das Minimum sein (oder 0 für die Nachbestellmenge)</translation>
    </message>
    <message>
        <source>must be a number, at least {smallest}</source>
        <translation>muss eine Zahl sein, mindestens {smallest}</translation>
    </message>
    <message>
        <source>{number} is not approved yet</source>
        <translation>{number} ist noch nicht freigegeben</translation>
    </message>
    <message>
        <source>{number} is {status}: no more parts can be booked on it</source>
        <translation>{number} ist {status}: darauf können keine Teile mehr gebucht werden</translation>
    </message>
    <message>
        <source>no bin {bin_code}</source>
        <translation>kein Lagerplatz {bin_code}</translation>
    </message>
    <message>
        <source>no purchase order {po_number}</source>
        <translation>keine Bestellung {po_number}</translation>
    </message>
    <message>
        <source>{po_number} is {status}; only sent orders are received</source>
        <translation>{po_number} ist {status}; nur versandte Bestellungen werden vereinnahmt</translation>
    </message>
    <message>
        <source>{po_number} has no line {line_no}</source>
        <translation>{po_number} hat keine Zeile {line_no}</translation>
    </message>
    <message>
        <source>{number} is not on {where} of {po_number}</source>
        <translation>{number} steht nicht auf {where} von {po_number}</translation>
    </message>
    <message>
        <source>only {outstanding} of {quantity} still to receive on {po_number} line {line_no}</source>
        <translation>nur noch {outstanding} von {quantity} auf {po_number} Zeile {line_no} zu vereinnahmen</translation>
    </message>
    <message>
        <source>too long</source>
        <translation>zu lang</translation>
    </message>
    <message>
        <source>{on_hand} {unit} still on hand; issue or adjust first</source>
        <translation>noch {on_hand} {unit} auf Lager; zuerst entnehmen oder korrigieren</translation>
    </message>
    <message>
        <source>no store room {store_room}</source>
        <translation>kein Lagerraum {store_room}</translation>
    </message>
    <message>
        <source>no {what} {value}</source>
        <translation>{what} {value} nicht gefunden</translation>
    </message>
    <message>
        <source>must be a number more than 0</source>
        <translation>muss eine Zahl größer 0 sein</translation>
    </message>
    <message>
        <source>{part_number} already has open requisition {open_line}</source>
        <translation>{part_number} hat schon die offene Bedarfsmeldung {open_line}</translation>
    </message>
    <message>
        <source>no requisition {requisition_id}</source>
        <translation>keine Bedarfsmeldung {requisition_id}</translation>
    </message>
    <message>
        <source>{requisition_id} is {status}; only open ones</source>
        <translation>{requisition_id} ist {status}; nur offene</translation>
    </message>
    <message>
        <source>not open for {vendor_code}: {missing}</source>
        <translation>nicht offen für {vendor_code}: {missing}</translation>
    </message>
    <message>
        <source>{po_number} is {status}; only drafts change</source>
        <translation>{po_number} ist {status}; nur Entwürfe lassen sich ändern</translation>
    </message>
    <message>
        <source>{po_number} is {status}, which can move to {allowed}</source>
        <translation>{po_number} ist {status}; möglich ist nur: {allowed}</translation>
    </message>
    <message>
        <source>{po_number} has no lines to send</source>
        <translation>{po_number} hat keine Zeilen zum Versenden</translation>
    </message>
    <message>
        <source>no bin {code}</source>
        <translation>kein Lagerplatz {code}</translation>
    </message>
    <message>
        <source>cannot read the database URL {url}: write e.g. sqlite:////path/wrenchbook.sqlite3 or postgresql+psycopg://user:password@host/dbname</source>
        <translation>die Datenbank-URL {url} ist nicht lesbar: z. B. sqlite:////pfad/wrenchbook.sqlite3 oder postgresql+psycopg://benutzer:passwort@host/dbname schreiben</translation>
    </message>
    <message>
        <source>in-memory SQLite is not supported: give a file path</source>
        <translation>SQLite im Arbeitsspeicher wird nicht unterstützt: einen Dateipfad angeben</translation>
    </message>
    <message>
        <source>unsupported database {drivername}: use sqlite or postgresql+psycopg</source>
        <translation>Datenbank {drivername} wird nicht unterstützt: sqlite oder postgresql+psycopg verwenden</translation>
    </message>
    <message>
        <source>connect_timeout {given} is not a whole number of seconds</source>
        <translation>connect_timeout {given} ist keine ganze Zahl von Sekunden</translation>
    </message>
    <message>
        <source>connect_timeout must be at least 1 second, not {seconds}</source>
        <translation>connect_timeout muss mindestens 1 Sekunde sein, nicht {seconds}</translation>
    </message>
    <message>
        <source>text must not contain NUL characters (\x00): remove them and save again</source>
        <translation>Text darf keine NUL-Zeichen (\x00) enthalten: entfernen und erneut speichern</translation>
    </message>
    <message>
        <source>the database cannot store a value as given ({reason}): correct it</source>
        <translation>die Datenbank kann einen Wert so nicht speichern ({reason}): korrigieren</translation>
    </message>
    <message>
        <source>integers beyond 64 bits</source>
        <translation>Ganzzahlen über 64 Bit</translation>
    </message>
    <message>
        <source>SQLite&apos;s file locking is unreliable over SMB/NFS network shares and the database file can be corrupted when several computers use it. Keep the SQLite file on a local disk of this computer, or connect every workstation to the site&apos;s PostgreSQL server.</source>
        <translation>Die Dateisperren von SQLite sind über SMB/NFS-Netzwerkfreigaben unzuverlässig, und die Datenbankdatei kann beschädigt werden, wenn mehrere Computer sie nutzen. Die SQLite-Datei auf einem lokalen Laufwerk dieses Computers halten oder jeden Arbeitsplatz mit dem PostgreSQL-Server des Standorts verbinden.</translation>
    </message>
    <message>
        <source>{path} is on a network share (a UNC path). {advice}</source>
        <translation>{path} liegt auf einer Netzwerkfreigabe (ein UNC-Pfad). {advice}</translation>
    </message>
    <message>
        <source>{path} is on the mapped network drive {drive}:. {advice}</source>
        <translation>{path} liegt auf dem verbundenen Netzlaufwerk {drive}:. {advice}</translation>
    </message>
    <message>
        <source>{path} is on the {fs_type} network mount {point} ({source}). {advice}</source>
        <translation>{path} liegt auf der {fs_type}-Netzwerkeinbindung {point} ({source}). {advice}</translation>
    </message>
    <message>
        <source>naive datetime {value}: pass an aware datetime</source>
        <translation>Zeitangabe {value} ohne Zeitzone: eine Zeit mit Zeitzone übergeben</translation>
    </message>
    <message>
        <source> Restart Wrenchbook to use the new database or OPC UA server.</source>
        <translation> Wrenchbook neu starten, um die neue Datenbank oder den neuen OPC-UA-Server zu nutzen.</translation>
    </message>
    <message>
        <source>Settings saved.{restart}</source>
        <translation>Einstellungen gespeichert.{restart}</translation>
    </message>
    <message>
        <source>the dashboard figure</source>
        <translation>die Kennzahl</translation>
    </message>
    <message>
        <source>Inventory  ({count})</source>
        <translation>Lager  ({count})</translation>
    </message>
    <message>
        <source>{count} parts at or below their minimum stock</source>
        <translation>{count} Teile am oder unter ihrem Mindestbestand</translation>
    </message>
    <message>
        <source>Alarms  ({shown})</source>
        <translation>Alarme  ({shown})</translation>
    </message>
    <message>
        <source>{shown} alarms not acknowledged</source>
        <translation>{shown} Alarme nicht quittiert</translation>
    </message>
    <message>
        <source>database unreachable — retrying</source>
        <translation>Datenbank nicht erreichbar — neuer Versuch läuft</translation>
    </message>
    <message>
        <source>{created} preventive work orders generated</source>
        <translation>{created} vorbeugende Arbeitsaufträge erzeugt</translation>
    </message>
    <message>
        <source>Notifications — outbox</source>
        <translation>Benachrichtigungen — Postausgang</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Zuordnen</translation>
    </message>
    <message>
        <source>Tag name</source>
        <translation>Tag-Name</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Sampling ms</source>
        <translation>Abtastung ms</translation>
    </message>
    <message>
        <source>Cannot browse {endpoint}: {error}</source>
        <translation>{endpoint} kann nicht durchsucht werden: {error}</translation>
    </message>
    <message>
        <source>Map OPC UA tags to assets</source>
        <translation>OPC-UA-Tags Anlagen zuordnen</translation>
    </message>
    <message>
        <source>Browse</source>
        <translation>Durchsuchen</translation>
    </message>
    <message>
        <source>Browse the server to list its variables.</source>
        <translation>Den Server durchsuchen, um seine Variablen aufzulisten.</translation>
    </message>
    <message>
        <source>Map ticked tags</source>
        <translation>Angehakte Tags zuordnen</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Browsing {value} …</source>
        <translation>{value} wird durchsucht …</translation>
    </message>
    <message>
        <source>already mapped</source>
        <translation>bereits zugeordnet</translation>
    </message>
    <message>
        <source>How often the server samples it; the tag class&apos;s default</source>
        <translation>Wie oft der Server ihn abtastet; Vorgabe der Tag-Klasse</translation>
    </message>
    <message>
        <source>{value} numeric variables ({unmappable} arrays, structures or texts cannot be tags); {matched} matched to assets by their path, {value2} already mapped. Tick rows, fill in the asset where it is empty, then map.</source>
        <translation>{value} numerische Variablen ({unmappable} Arrays, Strukturen oder Texte können keine Tags sein); {matched} über ihren Pfad Anlagen zugeordnet, {value2} bereits zugeordnet. Zeilen anhaken, leere Anlagen ausfüllen, dann zuordnen.</translation>
    </message>
    <message>
        <source>Row {0}: the sampling is a whole number of milliseconds.</source>
        <translation>Zeile {0}: die Abtastung ist eine ganze Zahl von Millisekunden.</translation>
    </message>
    <message>
        <source>Nothing ticked</source>
        <translation>Nichts angehakt</translation>
    </message>
    <message>
        <source>Tick the tags to map.</source>
        <translation>Die zuzuordnenden Tags anhaken.</translation>
    </message>
    <message>
        <source>Not mapped</source>
        <translation>Nicht zugeordnet</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Craft</source>
        <translation>Gewerk</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>forecast (meter)</source>
        <translation>Prognose (Zähler)</translation>
    </message>
    <message>
        <source>forecast</source>
        <translation>Prognose</translation>
    </message>
    <message>
        <source>Technicians</source>
        <translation>Techniker</translation>
    </message>
    <message>
        <source>(no craft)</source>
        <translation>(kein Gewerk)</translation>
    </message>
    <message>
        <source>{planned} of {capacity} h planned</source>
        <translation>{planned} von {capacity} h verplant</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>By craft</source>
        <translation>Nach Gewerk</translation>
    </message>
    <message>
        <source>By technician</source>
        <translation>Nach Techniker</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Erzeugen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To (included)</source>
        <translation>Bis (einschließlich)</translation>
    </message>
    <message>
        <source>Types</source>
        <translation>Arten</translation>
    </message>
    <message>
        <source>&lt;b&gt;Compliance audit pack&lt;/b&gt;</source>
        <translation>&lt;b&gt;Audit-Paket zur Nachweisführung&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Whole site</source>
        <translation>Ganzes Werk</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>Gespeichert unter {path}</translation>
    </message>
    <message>
        <source>Choose at least one work-order type.</source>
        <translation>Mindestens eine Auftragsart wählen.</translation>
    </message>
    <message>
        <source>Reading the work orders…</source>
        <translation>Arbeitsaufträge werden gelesen…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Save audit pack</source>
        <translation>Audit-Paket speichern</translation>
    </message>
    <message>
        <source>Could not save: {exc}</source>
        <translation>Konnte nicht speichern: {exc}</translation>
    </message>
    <message>
        <source>Laying out the pages…</source>
        <translation>Seiten werden gesetzt…</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>unversehrt</translation>
    </message>
    <message>
        <source>BROKEN — see the audit-trail section</source>
        <translation>GEBROCHEN — siehe Abschnitt Prüfpfad</translation>
    </message>
    <message>
        <source>{orders} work orders on {pages} pages. Audit chain {chain}.</source>
        <translation>{orders} Arbeitsaufträge auf {pages} Seiten. Audit-Kette {chain}.</translation>
    </message>
    <message>
        <source>Not generated: {message}</source>
        <translation>Nicht erzeugt: {message}</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>Abgebrochen; nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>No report yet: choose a period and press Generate.</source>
        <translation>Noch kein Bericht: Zeitraum wählen und Erzeugen drücken.</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Zurück</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Weiter ▶</translation>
    </message>
    <message>
        <source>of {page_count}</source>
        <translation>von {page_count}</translation>
    </message>
    <message>
        <source>Save work-order sheets</source>
        <translation>Auftragsblätter speichern</translation>
    </message>
    <message>
        <source>Print work-order sheets</source>
        <translation>Auftragsblätter drucken</translation>
    </message>
    <message>
        <source>Scan or type a no.</source>
        <translation>Nr. scannen/tippen</translation>
    </message>
    <message>
        <source>Scan a work-order sheet or an asset label, or type an order number (WO-2026-000123, wo-2026-123 or just 123) and press Enter (Ctrl+G)</source>
        <translation>Ein Auftragsblatt oder Anlagenetikett scannen oder eine Auftragsnummer eingeben (WO-2026-000123, wo-2026-123 oder nur 123) und Enter drücken (Strg+G)</translation>
    </message>
    <message>
        <source>Wrenchbook — workstation settings</source>
        <translation>Wrenchbook — Arbeitsplatzeinstellungen</translation>
    </message>
    <message>
        <source>Settings of this computer, kept in {value}. {RESTART_NOTE}</source>
        <translation>Einstellungen dieses Computers, gespeichert in {value}. {RESTART_NOTE}</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>OPC UA server</source>
        <translation>OPC-UA-Server</translation>
    </message>
    <message>
        <source>Wrenchbook — control room</source>
        <translation>Wrenchbook — Leitstand</translation>
    </message>
    <message>
        <source>Wrenchbook · Control room</source>
        <translation>Wrenchbook · Leitstand</translation>
    </message>
    <message>
        <source>waiting for the database…</source>
        <translation>warte auf die Datenbank…</translation>
    </message>
    <message>
        <source>data of {at}</source>
        <translation>Daten von {at}</translation>
    </message>
    <message>
        <source>acknowledged by {user}</source>
        <translation>quittiert von {user}</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN oder Passwort</translation>
    </message>
    <message>
        <source>{asset} stop coded: {reason}</source>
        <translation>Stillstand {asset} begründet: {reason}</translation>
    </message>
    <message>
        <source>Why did it stop?</source>
        <translation>Warum steht sie?</translation>
    </message>
    <message>
        <source>Operator PIN</source>
        <translation>Bediener-PIN</translation>
    </message>
    <message>
        <source>Save the reason</source>
        <translation>Grund speichern</translation>
    </message>
    <message>
        <source>{shift} handed over to {user}</source>
        <translation>{shift} übergeben an {user}</translation>
    </message>
    <message>
        <source>Take over the shift</source>
        <translation>Schicht übernehmen</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>cannot prepare the request: {reason}</source>
        <translation>Meldung kann nicht vorbereitet werden: {reason}</translation>
    </message>
    <message>
        <source>Alarm: {text}</source>
        <translation>Alarm: {text}</translation>
    </message>
    <message>
        <source>Goes to the approval queue as {type} work, priority {priority}.</source>
        <translation>Geht zur Freigabe als Auftrag „{type}“, Priorität {priority}.</translation>
    </message>
    <message>
        <source>{order} sent for approval</source>
        <translation>{order} zur Freigabe gesendet</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>Meldung senden</translation>
    </message>
    <message>
        <source>This computer only, one user (SQLite file)</source>
        <translation>Nur dieser Computer, ein Benutzer (SQLite-Datei)</translation>
    </message>
    <message>
        <source>Site server (PostgreSQL)</source>
        <translation>Werksserver (PostgreSQL)</translation>
    </message>
    <message>
        <source>One database shared by every workstation of the site</source>
        <translation>Eine Datenbank für alle Arbeitsplätze des Werks</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>On a local disk only: a file on a network share is refused.</source>
        <translation>Nur auf einer lokalen Festplatte: eine Datei auf einer Netzwerkfreigabe wird abgelehnt.</translation>
    </message>
    <message>
        <source>Single-user: whoever can open this file can change any record, roles included. The audit trail still shows a change; for several people, use the site server.</source>
        <translation>Einzelbenutzer: wer diese Datei öffnen kann, kann jeden Datensatz ändern, Rollen eingeschlossen. Das Audit-Protokoll zeigt eine Änderung trotzdem; für mehrere Personen den Werksserver verwenden.</translation>
    </message>
    <message>
        <source>server name or address</source>
        <translation>Servername oder -adresse</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>empty: everyone logs in as themselves</source>
        <translation>leer: jede Person meldet sich selbst an</translation>
    </message>
    <message>
        <source>Leave User empty: each person&apos;s Wrenchbook name and password are their own database login, and no database password is kept on this computer. Name a user only for the control-room display&apos;s or the monitoring service&apos;s login.</source>
        <translation>Benutzer leer lassen: Wrenchbook-Name und Passwort jeder Person sind ihre eigene Datenbankanmeldung, und auf diesem Computer wird kein Datenbankpasswort gespeichert. Einen Benutzer nur für die Anmeldung der Leitstandsanzeige oder des Überwachungsdienstes eintragen.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Plant connection (OPC UA)</source>
        <translation>Anlagenverbindung (OPC UA)</translation>
    </message>
    <message>
        <source>opc.tcp://server:4840/path</source>
        <translation>opc.tcp://server:4840/pfad</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>empty: anonymous</source>
        <translation>leer: anonym</translation>
    </message>
    <message>
        <source>empty: Wrenchbook&apos;s own, made on first use</source>
        <translation>leer: Wrenchbooks eigenes, beim ersten Gebrauch erzeugt</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Built-in simulator (with the demo plant)</source>
        <translation>Eingebauter Simulator (mit dem Demo-Werk)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Database and OPC UA changes take effect when Wrenchbook is next started.</source>
        <translation>Änderungen an Datenbank und OPC UA wirken beim nächsten Start von Wrenchbook.</translation>
    </message>
    <message>
        <source>Sign</source>
        <comment>OPC UA security</comment>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <source>Sign &amp; encrypt</source>
        <translation>Signieren und verschlüsseln</translation>
    </message>
    <message>
        <source>No credential store on this computer, so the password is not saved: give it in PGPASSWORD or in PostgreSQL&apos;s password file (%APPDATA%\postgresql\pgpass.conf on Windows, ~/.pgpass elsewhere).</source>
        <translation>Kein Anmeldedatenspeicher auf diesem Computer, daher wird das Passwort nicht gespeichert: in PGPASSWORD oder in der Passwortdatei von PostgreSQL angeben (%APPDATA%\postgresql\pgpass.conf unter Windows, sonst ~/.pgpass).</translation>
    </message>
    <message>
        <source>Private key</source>
        <translation>Privater Schlüssel</translation>
    </message>
    <message>
        <source>No credential store on this computer, so the password is not saved: give it in the {variable} environment variable.</source>
        <translation>Kein Anmeldedatenspeicher auf diesem Computer, daher wird das Passwort nicht gespeichert: in der Umgebungsvariablen {variable} angeben.</translation>
    </message>
    <message>
        <source>Sampling granted by the server now:</source>
        <translation>Vom Server jetzt gewährte Abtastung:</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>As Windows ({language})</source>
        <translation>Wie Windows ({language})</translation>
    </message>
    <message>
        <source>Control-room display</source>
        <translation>Leitstandsanzeige</translation>
    </message>
    <message>
        <source> s per page</source>
        <translation> s pro Seite</translation>
    </message>
    <message>
        <source>empty: every page</source>
        <translation>leer: jede Seite</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>Wechsel</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Pages in the order shown, separated by commas, from: </source>
        <translation>Seiten in der gezeigten Reihenfolge, durch Kommas getrennt, aus: </translation>
    </message>
    <message>
        <source>Kept in {store}, never in the settings file.</source>
        <translation>Gespeichert in {store}, nie in der Einstellungsdatei.</translation>
    </message>
    <message>
        <source>wrenchbook</source>
        <translation>wrenchbook</translation>
    </message>
    <message>
        <source>The saved database URL cannot be read: {url}</source>
        <translation>Die gespeicherte Datenbank-URL ist nicht lesbar: {url}</translation>
    </message>
    <message>
        <source>saved: type to replace</source>
        <translation>gespeichert: zum Ersetzen tippen</translation>
    </message>
    <message>
        <source>Cannot write {value}.</source>
        <translation>{value} kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Type the OPC UA password of {user}.</source>
        <translation>Das OPC-UA-Passwort von {user} eingeben.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <source>SQLite database file</source>
        <translation>SQLite-Datenbankdatei</translation>
    </message>
    <message>
        <source>SQLite database (*.sqlite3 *.db);;All files (*)</source>
        <translation>SQLite-Datenbank (*.sqlite3 *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Certificates and keys (*.der *.pem *.crt *.key);;All files (*)</source>
        <translation>Zertifikate und Schlüssel (*.der *.pem *.crt *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Backup and restore</source>
        <translation>Sicherung und Wiederherstellung</translation>
    </message>
    <message>
        <source>Make a &amp;backup now…</source>
        <translation>Jetzt &amp;sichern…</translation>
    </message>
    <message>
        <source>&amp;Restore from a backup…</source>
        <translation>Aus einer Sicherung &amp;wiederherstellen…</translation>
    </message>
    <message>
        <source>A backup is one file holding every record, made while others keep working (SQLite&apos;s online copy, or one snapshot of the PostgreSQL server). Keep it off this computer.

Restoring puts a backup back: the file is checked first (integrity, audit chain, schema), then every table is replaced in one transaction, so a bad file changes nothing. What was entered after the backup is lost. Administrators only.</source>
        <translation>Eine Sicherung ist eine Datei mit allen Datensätzen, erstellt während andere weiterarbeiten (die Online-Kopie von SQLite oder ein Schnappschuss des PostgreSQL-Servers). Bewahren Sie sie außerhalb dieses Computers auf.

Wiederherstellen spielt eine Sicherung zurück: die Datei wird zuerst geprüft (Integrität, Audit-Kette, Schema), dann wird jede Tabelle in einer Transaktion ersetzt, sodass eine fehlerhafte Datei nichts ändert. Was nach der Sicherung eingegeben wurde, geht verloren. Nur für Administratoren.</translation>
    </message>
    <message>
        <source>Making a backup to {target}…</source>
        <translation>Sicherung nach {target} wird erstellt…</translation>
    </message>
    <message>
        <source>Backup written: {path} ({size} MiB).</source>
        <translation>Sicherung geschrieben: {path} ({size} MiB).</translation>
    </message>
    <message>
        <source>type {word} to replace everything</source>
        <translation>{word} eingeben, um alles zu ersetzen</translation>
    </message>
    <message>
        <source>&amp;Confirm</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <source>Every record in this database will be replaced by the backup {source}. What was entered since that backup is lost for everybody. Type {CONFIRM_WORD} to go on.</source>
        <translation>Jeder Datensatz dieser Datenbank wird durch die Sicherung {source} ersetzt. Was seit dieser Sicherung eingegeben wurde, geht für alle verloren. Zum Fortfahren {CONFIRM_WORD} eingeben.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Checking and restoring {source}…</source>
        <translation>{source} wird geprüft und wiederhergestellt…</translation>
    </message>
    <message>
        <source>Restored {rows} records from {name} (schema {revision}); every page shows the restored data now.</source>
        <translation>{rows} Datensätze aus {name} wiederhergestellt (Schema {revision}); jede Seite zeigt jetzt die wiederhergestellten Daten.</translation>
    </message>
    <message>
        <source>Make a backup</source>
        <translation>Sicherung erstellen</translation>
    </message>
    <message>
        <source>Wrenchbook backups (*.wbk);;All files (*)</source>
        <translation>Wrenchbook-Sicherungen (*.wbk);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>Aus einer Sicherung wiederherstellen</translation>
    </message>
    <message>
        <source>site calendar</source>
        <translation>Werkskalender</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Werk</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>Arbeitstage</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Shutdowns</source>
        <translation>Betriebsruhen</translation>
    </message>
    <message>
        <source>Time &amp;zone</source>
        <translation>&amp;Zeitzone</translation>
    </message>
    <message>
        <source>Set when the site was created; dates print in it</source>
        <translation>Beim Anlegen des Werks festgelegt; Daten werden darin gedruckt</translation>
    </message>
    <message>
        <source>mon-fri</source>
        <translation>mo-fr</translation>
    </message>
    <message>
        <source>&amp;Working days</source>
        <translation>&amp;Arbeitstage</translation>
    </message>
    <message>
        <source>&amp;Shifts</source>
        <translation>&amp;Schichten</translation>
    </message>
    <message>
        <source>DE, PL, TR…</source>
        <translation>DE, PL, TR…</translation>
    </message>
    <message>
        <source>Holidays of &amp;country</source>
        <translation>Feiertage von &amp;Land</translation>
    </message>
    <message>
        <source>BY, NW…</source>
        <translation>BY, NW…</translation>
    </message>
    <message>
        <source>… and &amp;region</source>
        <translation>… und &amp;Region</translation>
    </message>
    <message>
        <source>Add &amp;shutdown…</source>
        <translation>Betriebsruhe &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Von</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>&amp;Bis</translation>
    </message>
    <message>
        <source>summer shutdown, works holiday…</source>
        <translation>Sommerpause, Betriebsferien…</translation>
    </message>
    <message>
        <source>No working days from the first to the last day: preventive work is planned around them.</source>
        <translation>Keine Arbeitstage vom ersten bis zum letzten Tag: vorbeugende Arbeit wird darum herum geplant.</translation>
    </message>
    <message>
        <source>&amp;Remove shutdown…</source>
        <translation>Betriebsruhe &amp;entfernen…</translation>
    </message>
    <message>
        <source>&amp;Shutdown</source>
        <translation>&amp;Betriebsruhe</translation>
    </message>
    <message>
        <source>Working calendar of {site} ({zone})</source>
        <translation>Arbeitskalender von {site} ({zone})</translation>
    </message>
    <message>
        <source>Shutdown {name} from {first} to {last} added.</source>
        <translation>Betriebsruhe {name} vom {first} bis {last} hinzugefügt.</translation>
    </message>
    <message>
        <source>Shutdown {name} removed.</source>
        <translation>Betriebsruhe {name} entfernt.</translation>
    </message>
    <message>
        <source>checklist</source>
        <translation>Checkliste</translation>
    </message>
    <message>
        <source>checklists</source>
        <translation>Checklisten</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>step {step}: the {which} limit must be a number</source>
        <translation>Schritt {step}: die Grenze ({which}) muss eine Zahl sein</translation>
    </message>
    <message>
        <source>step {number}: {problem}</source>
        <translation>Schritt {number}: {problem}</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>lock-out</source>
        <translation>Freischaltung</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>ausgemustert</translation>
    </message>
    <message>
        <source>Asset &amp;class</source>
        <translation>Anlagen&amp;klasse</translation>
    </message>
    <message>
        <source>offered first for assets of this class</source>
        <translation>zuerst angeboten für Anlagen dieser Klasse</translation>
    </message>
    <message>
        <source>&amp;Safety checklist (lock-out/tag-out): every step must be answered before the work completes</source>
        <translation>&amp;Sicherheits-Checkliste (Lockout/Tagout): jeder Schritt muss beantwortet sein, bevor die Arbeit abgeschlossen wird</translation>
    </message>
    <message>
        <source>S&amp;teps</source>
        <translation>Sch&amp;ritte</translation>
    </message>
    <message>
        <source>In the order the technician works; a measurement needs a unit and a low or high limit; a sign-off is a signature line on the sheet</source>
        <translation>In der Reihenfolge, in der der Techniker arbeitet; eine Messung braucht eine Einheit und eine untere oder obere Grenze; eine Abzeichnung ist eine Unterschriftszeile auf dem Blatt</translation>
    </message>
    <message>
        <source>&amp;Retire…</source>
        <translation>&amp;Ausmustern…</translation>
    </message>
    <message>
        <source>{code} is offered for no new order or PM schedule; orders that have it keep it.</source>
        <translation>{code} wird keinem neuen Auftrag oder Wartungsplan mehr angeboten; Aufträge, die sie haben, behalten sie.</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>&amp;Reaktivieren</translation>
    </message>
    <message>
        <source>Offer {code} again?</source>
        <translation>{code} wieder anbieten?</translation>
    </message>
    <message>
        <source>safety</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>{code} is offered again.</source>
        <translation>{code} wird wieder angeboten.</translation>
    </message>
    <message>
        <source>{code} is retired.</source>
        <translation>{code} ist ausgemustert.</translation>
    </message>
    <message>
        <source>Lead time</source>
        <translation>Lieferzeit</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <source>&amp;Lead time</source>
        <translation>&amp;Lieferzeit</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Days from order to delivery; requisitions plan with it</source>
        <translation>Tage von der Bestellung bis zur Lieferung; Bedarfsmeldungen planen damit</translation>
    </message>
    <message>
        <source>C&amp;ontact</source>
        <translation>K&amp;ontakt</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;E-Mail</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Telefon</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>&amp;Deaktivieren…</translation>
    </message>
    <message>
        <source>{code} keeps its orders but is offered for no new part.</source>
        <translation>{code} behält seine Bestellungen, wird aber für kein neues Teil angeboten.</translation>
    </message>
    <message>
        <source>{code} is inactive now.</source>
        <translation>{code} ist jetzt inaktiv.</translation>
    </message>
    <message>
        <source>part</source>
        <translation>Teil</translation>
    </message>
    <message>
        <source>parts</source>
        <translation>Teile</translation>
    </message>
    <message>
        <source>List cost</source>
        <translation>Listenpreis</translation>
    </message>
    <message>
        <source>Used on</source>
        <translation>Verwendet in</translation>
    </message>
    <message>
        <source>discontinued</source>
        <translation>ausgelaufen</translation>
    </message>
    <message>
        <source>Part &amp;number</source>
        <translation>Teile&amp;nummer</translation>
    </message>
    <message>
        <source>each, m, l, kg</source>
        <translation>Stück, m, l, kg</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>&amp;Einheit</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>&amp;Kategorie</translation>
    </message>
    <message>
        <source>&amp;Vendor</source>
        <translation>&amp;Lieferant</translation>
    </message>
    <message>
        <source>&amp;List cost</source>
        <translation>&amp;Listenpreis</translation>
    </message>
    <message>
        <source>The vendor&apos;s price; issues are charged at the moving average</source>
        <translation>Der Preis des Lieferanten; Entnahmen werden zum gleitenden Durchschnitt berechnet</translation>
    </message>
    <message>
        <source>Used on (spare of)</source>
        <translation>Verwendet in (Ersatzteil von)</translation>
    </message>
    <message>
        <source>Set on the Assets page: Spare parts…</source>
        <translation>Auf der Seite Anlagen festgelegt: Ersatzteile…</translation>
    </message>
    <message>
        <source>&amp;Discontinue…</source>
        <translation>&amp;Auslaufen lassen…</translation>
    </message>
    <message>
        <source>{number} keeps its ledger; it is refused while stock is on hand.</source>
        <translation>{number} behält sein Lagerbuch; solange Bestand vorhanden ist, wird es abgelehnt.</translation>
    </message>
    <message>
        <source>Stock {number} again?</source>
        <translation>{number} wieder bevorraten?</translation>
    </message>
    <message>
        <source>{number} is stocked now.</source>
        <translation>{number} wird jetzt bevorratet.</translation>
    </message>
    <message>
        <source>{number} is discontinued now.</source>
        <translation>{number} ist jetzt ausgelaufen.</translation>
    </message>
    <message>
        <source>store room</source>
        <translation>Lagerraum</translation>
    </message>
    <message>
        <source>store rooms</source>
        <translation>Lagerräume</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <source>bins: {bins}</source>
        <translation>Lagerplätze: {bins}</translation>
    </message>
    <message>
        <source>bin</source>
        <translation>Lagerplatz</translation>
    </message>
    <message>
        <source>bins</source>
        <translation>Lagerplätze</translation>
    </message>
    <message>
        <source>Store room</source>
        <translation>Lagerraum</translation>
    </message>
    <message>
        <source>&amp;Store room</source>
        <translation>&amp;Lagerraum</translation>
    </message>
    <message>
        <source>Bin {code} in {store_room}</source>
        <translation>Lagerplatz {code} in {store_room}</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>Teile</translation>
    </message>
    <message>
        <source>vendor</source>
        <translation>Lieferant</translation>
    </message>
    <message>
        <source>vendors</source>
        <translation>Lieferanten</translation>
    </message>
    <message>
        <source>&amp;Bin</source>
        <translation>&amp;Lagerplatz</translation>
    </message>
    <message>
        <source>Unique across the site, so a bin code alone finds the shelf</source>
        <translation>Im ganzen Werk eindeutig, sodass die Kennung allein das Regal findet</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>PM schedules</source>
        <translation>Wartungspläne</translation>
    </message>
    <message>
        <source>Meters and readings</source>
        <translation>Zähler und Ablesungen</translation>
    </message>
    <message>
        <source>Checklists</source>
        <translation>Checklisten</translation>
    </message>
    <message>
        <source>Site calendar</source>
        <translation>Werkskalender</translation>
    </message>
    <message>
        <source>Vendors</source>
        <translation>Lieferanten</translation>
    </message>
    <message>
        <source>Store rooms</source>
        <translation>Lagerräume</translation>
    </message>
    <message>
        <source>fixed: on the calendar, whenever the last one was done</source>
        <translation>fest: nach Kalender, egal wann der letzte erledigt wurde</translation>
    </message>
    <message>
        <source>floating: counted from the last completion</source>
        <translation>gleitend: ab dem letzten Abschluss gezählt</translation>
    </message>
    <message>
        <source>move to the next working day</source>
        <translation>auf den nächsten Arbeitstag schieben</translation>
    </message>
    <message>
        <source>move to the previous working day</source>
        <translation>auf den vorigen Arbeitstag schieben</translation>
    </message>
    <message>
        <source>keep the day, working or not</source>
        <translation>den Tag behalten, ob Arbeitstag oder nicht</translation>
    </message>
    <message>
        <source>skip the new one while the last is open</source>
        <translation>den neuen auslassen, solange der letzte offen ist</translation>
    </message>
    <message>
        <source>raise it anyway (stack)</source>
        <translation>trotzdem anlegen (stapeln)</translation>
    </message>
    <message>
        <source>line {number}: write the part number, a space and the quantity</source>
        <translation>Zeile {number}: Teilenummer, ein Leerzeichen und die Menge schreiben</translation>
    </message>
    <message>
        <source>PM schedule</source>
        <translation>Wartungsplan</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>Intervall</translation>
    </message>
    <message>
        <source>Next due</source>
        <translation>Nächste Fälligkeit</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>&amp;Starts</source>
        <translation>&amp;Beginnt</translation>
    </message>
    <message>
        <source>The first due date; fixed schedules keep this rhythm</source>
        <translation>Die erste Fälligkeit; feste Pläne halten diesen Rhythmus</translation>
    </message>
    <message>
        <source>&amp;Every</source>
        <translation>&amp;Alle</translation>
    </message>
    <message>
        <source>Leave at — for a meter-only schedule</source>
        <translation>Leer lassen (—) für einen reinen Zählerplan</translation>
    </message>
    <message>
        <source>Calendar &amp;mode</source>
        <translation>Kalender&amp;modus</translation>
    </message>
    <message>
        <source>&amp;Meter</source>
        <translation>&amp;Zähler</translation>
    </message>
    <message>
        <source>Meter i&amp;nterval</source>
        <translation>Zähler&amp;intervall</translation>
    </message>
    <message>
        <source>e.g. every 500 running hours; with a calendar interval, whichever comes first</source>
        <translation>z. B. alle 500 Betriebsstunden; mit einem Kalenderintervall gilt, was zuerst kommt</translation>
    </message>
    <message>
        <source>How many days before it is due the order is raised</source>
        <translation>Wie viele Tage vor der Fälligkeit der Auftrag angelegt wird</translation>
    </message>
    <message>
        <source>Off days</source>
        <translation>Freie Tage</translation>
    </message>
    <message>
        <source>While &amp;open</source>
        <translation>Solange &amp;offen</translation>
    </message>
    <message>
        <source>Chec&amp;klist</source>
        <translation>Chec&amp;kliste</translation>
    </message>
    <message>
        <source>&amp;Instructions</source>
        <translation>&amp;Anweisungen</translation>
    </message>
    <message>
        <source>Es&amp;timate</source>
        <translation>Sc&amp;hätzung</translation>
    </message>
    <message>
        <source>C&amp;raft</source>
        <translation>&amp;Gewerk</translation>
    </message>
    <message>
        <source>Parts &amp;kit</source>
        <translation>Teile-&amp;Kit</translation>
    </message>
    <message>
        <source>One part a line: part number, a space, the quantity</source>
        <translation>Ein Teil je Zeile: Teilenummer, ein Leerzeichen, die Menge</translation>
    </message>
    <message>
        <source>Kit from &amp;spare parts</source>
        <translation>Kit aus &amp;Ersatzteilen</translation>
    </message>
    <message>
        <source>Set the kit of {code} to the spare-parts list of {asset_code}: {value}.</source>
        <translation>Das Kit von {code} auf die Ersatzteilliste von {asset_code} setzen: {value}.</translation>
    </message>
    <message>
        <source>it has none</source>
        <translation>sie hat keine</translation>
    </message>
    <message>
        <source>Add &amp;blackout…</source>
        <translation>&amp;Sperrzeit hinzufügen…</translation>
    </message>
    <message>
        <source>production campaign, audit week…</source>
        <translation>Produktionskampagne, Audit-Woche…</translation>
    </message>
    <message>
        <source>Days on which {code} must not fall due.</source>
        <translation>Tage, an denen {code} nicht fällig werden darf.</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>{code} generates no orders while paused.</source>
        <translation>{code} erzeugt keine Aufträge, solange pausiert.</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Generate orders for {code} again?</source>
        <translation>Für {code} wieder Aufträge erzeugen?</translation>
    </message>
    <message>
        <source>open: {order}</source>
        <translation>offen: {order}</translation>
    </message>
    <message>
        <source>No preview yet: {problems}</source>
        <translation>Noch keine Vorschau: {problems}</translation>
    </message>
    <message>
        <source>No preview yet: give a calendar interval, a meter interval, or both.</source>
        <translation>Noch keine Vorschau: ein Kalenderintervall, ein Zählerintervall oder beides angeben.</translation>
    </message>
    <message>
        <source>Next due: not known yet; the meter needs a few readings to forecast from.</source>
        <translation>Nächste Fälligkeit: noch unbekannt; der Zähler braucht einige Ablesungen für eine Prognose.</translation>
    </message>
    <message>
        <source> (due {date})</source>
        <translation> (fällig {date})</translation>
    </message>
    <message>
        <source> by meter</source>
        <translation> nach Zähler</translation>
    </message>
    <message>
        <source>Next due dates: {dates}</source>
        <translation>Nächste Fälligkeiten: {dates}</translation>
    </message>
    <message>
        <source>{asset} has no spare-parts list yet</source>
        <translation>{asset} hat noch keine Ersatzteilliste</translation>
    </message>
    <message>
        <source>The kit of {code} is now: {kit}.</source>
        <translation>Der Teilesatz von {code} ist jetzt: {kit}.</translation>
    </message>
    <message>
        <source>{code} will not fall due from {first} to {last}.</source>
        <translation>{code} wird von {first} bis {last} nicht fällig.</translation>
    </message>
    <message>
        <source>{code} is active now.</source>
        <translation>{code} ist jetzt aktiv.</translation>
    </message>
    <message>
        <source>{code} is paused now.</source>
        <translation>{code} ist jetzt pausiert.</translation>
    </message>
    <message>
        <source>Meters</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <source>meter</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <source>meters</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <source>Last reading</source>
        <translation>Letzte Ablesung</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Art</translation>
    </message>
    <message>
        <source>&amp;Rolls over at</source>
        <translation>&amp;Überlauf bei</translation>
    </message>
    <message>
        <source>The value a counter wraps to 0 at, if any</source>
        <translation>Der Wert, bei dem ein Zähler auf 0 springt, falls vorhanden</translation>
    </message>
    <message>
        <source>&amp;Record reading…</source>
        <translation>Ablesung &amp;erfassen…</translation>
    </message>
    <message>
        <source>&amp;Value</source>
        <translation>&amp;Wert</translation>
    </message>
    <message>
        <source>The counter was reset or replaced</source>
        <translation>Der Zähler wurde zurückgesetzt oder ersetzt</translation>
    </message>
    <message>
        <source>{code}: last value {value} {unit}.</source>
        <translation>{code}: letzter Wert {value} {unit}.</translation>
    </message>
    <message>
        <source>{code} — {name} on {asset}: {total} {unit}</source>
        <translation>{code} — {name} an {asset}: {total} {unit}</translation>
    </message>
    <message>
        <source>a meter does not change once made; make a new one</source>
        <translation>ein Zähler ändert sich nach dem Anlegen nicht; einen neuen anlegen</translation>
    </message>
    <message>
        <source>{code}: {value} {unit} read, total {total}.</source>
        <translation>{code}: {value} {unit} abgelesen, Stand {total}.</translation>
    </message>
    <message>
        <source>threshold: beyond the limit</source>
        <translation>Grenzwert: jenseits der Grenze</translation>
    </message>
    <message>
        <source>rate of change: slope per minute beyond the limit</source>
        <translation>Änderungsrate: Steigung je Minute jenseits der Grenze</translation>
    </message>
    <message>
        <source>trend forecast: the limit will be crossed within the horizon</source>
        <translation>Trendprognose: die Grenze wird innerhalb des Horizonts überschritten</translation>
    </message>
    <message>
        <source>above</source>
        <translation>über</translation>
    </message>
    <message>
        <source>below</source>
        <translation>unter</translation>
    </message>
    <message>
        <source>rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>rules</source>
        <translation>Regeln</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Grenze</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>&amp;Tag</translation>
    </message>
    <message>
        <source>&amp;Direction</source>
        <translation>&amp;Richtung</translation>
    </message>
    <message>
        <source>&amp;Limit</source>
        <translation>&amp;Grenze</translation>
    </message>
    <message>
        <source>&amp;Hysteresis</source>
        <translation>&amp;Hysterese</translation>
    </message>
    <message>
        <source>How far back past the limit the value must come before it clears</source>
        <translation>Wie weit der Wert hinter die Grenze zurück muss, bevor der Alarm geht</translation>
    </message>
    <message>
        <source>On-&amp;delay</source>
        <translation>Einschalt&amp;verzögerung</translation>
    </message>
    <message>
        <source>How long the value must stay beyond the limit</source>
        <translation>Wie lange der Wert jenseits der Grenze bleiben muss</translation>
    </message>
    <message>
        <source>&amp;Window</source>
        <translation>&amp;Fenster</translation>
    </message>
    <message>
        <source>The fit&apos;s window (rate of change and forecast)</source>
        <translation>Das Fenster der Anpassung (Änderungsrate und Prognose)</translation>
    </message>
    <message>
        <source>Hori&amp;zon</source>
        <translation>Hori&amp;zont</translation>
    </message>
    <message>
        <source>Alarm when the forecast crossing is nearer than this</source>
        <translation>Alarm, wenn die prognostizierte Überschreitung näher ist als dies</translation>
    </message>
    <message>
        <source>&amp;Verify after repair</source>
        <translation>&amp;Prüfen nach Reparatur</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Minutes back in band before its predictive order may complete</source>
        <translation>Minuten zurück im Band, bevor der vorausschauende Auftrag abgeschlossen werden darf</translation>
    </message>
    <message>
        <source>&amp;Enable…</source>
        <translation>&amp;Aktivieren…</translation>
    </message>
    <message>
        <source>Replay of {name} over the last {REPLAY_DAYS} days:</source>
        <translation>Nachspielen von {name} über die letzten {REPLAY_DAYS} Tage:</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>{name} raises no alarm while disabled.</source>
        <translation>{name} löst keinen Alarm aus, solange deaktiviert.</translation>
    </message>
    <message>
        <source>no stored samples of its tag yet, so nothing to replay.</source>
        <translation>noch keine gespeicherten Messwerte seines Tags, daher nichts nachzuspielen.</translation>
    </message>
    <message>
        <source>{alarms} alarms and at most {orders} predictive orders over {samples} samples</source>
        <translation>{alarms} Alarme und höchstens {orders} vorausschauende Aufträge über {samples} Messwerte</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <source>{rule} — {tag} on {asset}</source>
        <translation>{rule} — {tag} an {asset}</translation>
    </message>
    <message>
        <source>{name} is enabled.</source>
        <translation>{name} ist aktiviert.</translation>
    </message>
    <message>
        <source>{name} is disabled.</source>
        <translation>{name} ist deaktiviert.</translation>
    </message>
    <message>
        <source>Viewer (control-room display)</source>
        <translation>Betrachter (Leitstandsanzeige)</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Techniker</translation>
    </message>
    <message>
        <source>Planner</source>
        <translation>Planer</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Meister</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>deactivated {since}</source>
        <translation>deaktiviert {since}</translation>
    </message>
    <message>
        <source>locked until {when}</source>
        <translation>gesperrt bis {when}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>does not match</source>
        <translation>stimmt nicht überein</translation>
    </message>
    <message>
        <source>user</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Satz</translation>
    </message>
    <message>
        <source>h/week</source>
        <translation>h/Woche</translation>
    </message>
    <message>
        <source>User &amp;name</source>
        <translation>Benutzer&amp;name</translation>
    </message>
    <message>
        <source>What the person types to log in; it cannot change later</source>
        <translation>Was die Person zum Anmelden eingibt; er kann später nicht geändert werden</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>&amp;Vollständiger Name</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Rolle</translation>
    </message>
    <message>
        <source>&amp;Craft</source>
        <translation>&amp;Gewerk</translation>
    </message>
    <message>
        <source>mechanical, electrical, instrumentation…</source>
        <translation>Mechanik, Elektrik, MSR…</translation>
    </message>
    <message>
        <source>Hourly &amp;rate</source>
        <translation>Stunden&amp;satz</translation>
    </message>
    <message>
        <source>Labour cost per hour, charged to the orders the person works on</source>
        <translation>Arbeitskosten je Stunde, den Aufträgen berechnet, an denen die Person arbeitet</translation>
    </message>
    <message>
        <source>Hours per &amp;week</source>
        <translation>Stunden je &amp;Woche</translation>
    </message>
    <message>
        <source>Capacity on the planning calendar</source>
        <translation>Kapazität im Planungskalender</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Passwort</translation>
    </message>
    <message>
        <source>new users only; Reset password changes it later</source>
        <translation>nur neue Benutzer; Passwort zurücksetzen ändert es später</translation>
    </message>
    <message>
        <source>Repeat pass&amp;word</source>
        <translation>Passwort &amp;wiederholen</translation>
    </message>
    <message>
        <source>New &amp;password</source>
        <translation>Neues &amp;Passwort</translation>
    </message>
    <message>
        <source>&amp;Repeat</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>4 to 8 digits</source>
        <translation>4 bis 8 Ziffern</translation>
    </message>
    <message>
        <source>New &amp;PIN</source>
        <translation>Neue &amp;PIN</translation>
    </message>
    <message>
        <source>Remove the PIN (no control-room sign-off)</source>
        <translation>PIN entfernen (keine Abzeichnung am Leitstand)</translation>
    </message>
    <message>
        <source>Reset pass&amp;word…</source>
        <translation>Pass&amp;wort zurücksetzen…</translation>
    </message>
    <message>
        <source>A new password for {username}; tell it to them in person.</source>
        <translation>Ein neues Passwort für {username}; persönlich mitteilen.</translation>
    </message>
    <message>
        <source>Set P&amp;IN…</source>
        <translation>P&amp;IN setzen…</translation>
    </message>
    <message>
        <source>The operator PIN {username} signs with at the control-room display and the kiosk.</source>
        <translation>Die Bediener-PIN, mit der {username} an der Leitstandsanzeige und am Kiosk abzeichnet.</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Entsperren</translation>
    </message>
    <message>
        <source>Let {username} log in again now?</source>
        <translation>{username} jetzt wieder anmelden lassen?</translation>
    </message>
    <message>
        <source>{username} ({full_name}) will no longer be able to log in or sign with a PIN. Their work history stays. Deactivate?</source>
        <translation>{username} ({full_name}) kann sich nicht mehr anmelden und nicht mehr mit PIN abzeichnen. Die Arbeitshistorie bleibt. Deaktivieren?</translation>
    </message>
    <message>
        <source>Let {username} log in again?</source>
        <translation>{username} wieder anmelden lassen?</translation>
    </message>
    <message>
        <source>New password set for {user}; the lock-out, if any, is lifted.</source>
        <translation>Neues Passwort für {user} gesetzt; eine Sperre ist aufgehoben.</translation>
    </message>
    <message>
        <source>{user} has no PIN now.</source>
        <translation>{user} hat jetzt keine PIN.</translation>
    </message>
    <message>
        <source>New PIN set for {user}.</source>
        <translation>Neue PIN für {user} gesetzt.</translation>
    </message>
    <message>
        <source>{user} may log in again.</source>
        <translation>{user} darf sich wieder anmelden.</translation>
    </message>
    <message>
        <source>{user} is active again and may log in.</source>
        <translation>{user} ist wieder aktiv und darf sich anmelden.</translation>
    </message>
    <message>
        <source>{user} is deactivated and can no longer log in.</source>
        <translation>{user} ist deaktiviert und kann sich nicht mehr anmelden.</translation>
    </message>
    <message>
        <source> Still assigned to open work, re-plan it: {orders}.</source>
        <translation> Noch offenen Aufträgen zugewiesen, bitte neu planen: {orders}.</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 min</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>8 hours</source>
        <translation>8 Stunden</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>Map tags…</source>
        <translation>Tags zuordnen…</translation>
    </message>
    <message>
        <source>Browse the OPC UA server and map its variables to assets</source>
        <translation>Den OPC-UA-Server durchsuchen und seine Variablen Anlagen zuordnen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Filter tags</source>
        <translation>Tags filtern</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>changes only</source>
        <translation>nur Änderungen</translation>
    </message>
    <message>
        <source>its own</source>
        <translation>eigene</translation>
    </message>
    <message>
        <source>its class&apos;s default</source>
        <translation>Vorgabe seiner Klasse</translation>
    </message>
    <message>
        <source>Asks for sampling every {0} ms ({1}).</source>
        <translation>Fordert Abtastung alle {0} ms an ({1}).</translation>
    </message>
    <message>
        <source>The server granted {0}.</source>
        <translation>Der Server gewährte {0}.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Search number, title or asset  (Ctrl+F)</source>
        <translation>Nummer, Titel oder Anlage suchen  (Strg+F)</translation>
    </message>
    <message>
        <source>Type: any</source>
        <translation>Art: alle</translation>
    </message>
    <message>
        <source>Priority: any</source>
        <translation>Priorität: alle</translation>
    </message>
    <message>
        <source>Status: all but closed</source>
        <translation>Status: alle außer geschlossen</translation>
    </message>
    <message>
        <source>Asset: all</source>
        <translation>Anlage: alle</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>Nur überfällige</translation>
    </message>
    <message>
        <source>Show closed</source>
        <translation>Geschlossene zeigen</translation>
    </message>
    <message>
        <source>Assignee: anyone</source>
        <translation>Zugewiesen: alle</translation>
    </message>
    <message>
        <source>Assign {what}</source>
        <translation>{what} zuweisen</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Leitung</translation>
    </message>
    <message>
        <source>Technicians for {what}:</source>
        <translation>Techniker für {what}:</translation>
    </message>
    <message>
        <source>Tick at least one technician.</source>
        <translation>Mindestens einen Techniker anhaken.</translation>
    </message>
    <message>
        <source>&amp;Assign</source>
        <translation>&amp;Zuweisen</translation>
    </message>
    <message>
        <source>Currently</source>
        <translation>Derzeit</translation>
    </message>
    <message>
        <source>Tick everyone who works on the order. Technicians already booked on other planned work at the same time are named after assigning.</source>
        <translation>Alle anhaken, die am Auftrag arbeiten. Techniker, die zur selben Zeit schon anderweitig eingeplant sind, werden nach dem Zuweisen genannt.</translation>
    </message>
    <message>
        <source>(lead)</source>
        <translation>(Leitung)</translation>
    </message>
    <message>
        <source>nobody assigned yet</source>
        <translation>noch niemand zugewiesen</translation>
    </message>
    <message>
        <source>Booking clash:
</source>
        <translation>Terminüberschneidung:
</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Add &amp;file…</source>
        <translation>Datei &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Anhänge</translation>
    </message>
    <message>
        <source>PDF, PNG, JPEG, GIF, WEBP, text/CSV or Excel/Word (.xlsx, .docx) files, up to {size} MiB</source>
        <translation>PDF-, PNG-, JPEG-, GIF-, WEBP-, Text/CSV- oder Excel/Word-Dateien (.xlsx, .docx), bis {size} MiB</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>A note added to the record; the only change a closed order accepts</source>
        <translation>Eine Notiz zum Datensatz; die einzige Änderung, die ein geschlossener Auftrag annimmt</translation>
    </message>
    <message>
        <source>Add a&amp;ddendum</source>
        <translation>&amp;Nachtrag hinzufügen</translation>
    </message>
    <message>
        <source>Addenda</source>
        <translation>Nachträge</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>Datei anhängen</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>i. O.</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>n. i. O.</translation>
    </message>
    <message>
        <source>N/A</source>
        <translation>Entfällt</translation>
    </message>
    <message>
        <source>Record</source>
        <comment>checklist answer</comment>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <source>, safety</source>
        <translation>, Sicherheit</translation>
    </message>
    <message>
        <source>{code} — {name} ({item_count} items{safety})</source>
        <translation>{code} — {name} ({item_count} Punkte{safety})</translation>
    </message>
    <message>
        <source>Add &amp;checklist</source>
        <translation>&amp;Checkliste hinzufügen</translation>
    </message>
    <message>
        <source>From template</source>
        <translation>Aus Vorlage</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwortet</translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{title}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No checklist on this work order yet.</source>
        <translation>Noch keine Checkliste an diesem Arbeitsauftrag.</translation>
    </message>
    <message>
        <source>required</source>
        <translation>Pflicht</translation>
    </message>
    <message>
        <source>  &lt;i&gt;({value})&lt;/i&gt;</source>
        <translation>  &lt;i&gt;({value})&lt;/i&gt;</translation>
    </message>
    <message>
        <source>signed by {name}</source>
        <translation>unterschrieben von {name}</translation>
    </message>
    <message>
        <source>recorded</source>
        <translation>erfasst</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>what you found</source>
        <translation>was Sie gefunden haben</translation>
    </message>
    <message>
        <source>{what} was changed by someone else</source>
        <translation>{what} wurde von jemand anderem geändert</translation>
    </message>
    <message>
        <source>&lt;b&gt;{what} was changed by {changed_by} at {value}&lt;/b&gt; after you opened it, so your save was not made and nothing was overwritten.&lt;br&gt;&lt;br&gt;Your unsaved edits: {edited}.&lt;br&gt;&lt;br&gt;&lt;i&gt;Reload and keep my edits&lt;/i&gt; shows their version with your edits typed on top; check it and save again. &lt;i&gt;Discard my edits&lt;/i&gt; shows their version only.</source>
        <translation>&lt;b&gt;{what} wurde von {changed_by} um {value} geändert&lt;/b&gt;, nachdem Sie es geöffnet hatten; Ihr Speichern wurde daher nicht ausgeführt und nichts wurde überschrieben.&lt;br&gt;&lt;br&gt;Ihre ungespeicherten Änderungen: {edited}.&lt;br&gt;&lt;br&gt;&lt;i&gt;Neu laden und meine Änderungen behalten&lt;/i&gt; zeigt deren Fassung mit Ihren Änderungen darüber; prüfen und erneut speichern. &lt;i&gt;Meine Änderungen verwerfen&lt;/i&gt; zeigt nur deren Fassung.</translation>
    </message>
    <message>
        <source>&amp;Reload and keep my edits</source>
        <translation>&amp;Neu laden und meine Änderungen behalten</translation>
    </message>
    <message>
        <source>&amp;Discard my edits</source>
        <translation>Meine Änderungen &amp;verwerfen</translation>
    </message>
    <message>
        <source>1 — Emergency</source>
        <translation>1 — Notfall</translation>
    </message>
    <message>
        <source>2 — High</source>
        <translation>2 — Hoch</translation>
    </message>
    <message>
        <source>3 — Medium</source>
        <translation>3 — Mittel</translation>
    </message>
    <message>
        <source>4 — Low</source>
        <translation>4 — Niedrig</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Angefordert von</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Storniert</translation>
    </message>
    <message>
        <source>Hold reason</source>
        <translation>Grund der Zurückstellung</translation>
    </message>
    <message>
        <source>Cancel reason</source>
        <translation>Grund der Stornierung</translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation>Zuletzt geändert</translation>
    </message>
    <message>
        <source>{when} by {who}</source>
        <translation>{when} von {who}</translation>
    </message>
    <message>
        <source>= previous period</source>
        <translation>= Vorperiode</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source> pts</source>
        <translation> Pkt.</translation>
    </message>
    <message>
        <source> wk</source>
        <translation> Wo.</translation>
    </message>
    <message>
        <source>{arrow} {amount} vs previous</source>
        <translation>{arrow} {amount} zur Vorperiode</translation>
    </message>
    <message>
        <source>{formula}

Click to list the {count} work orders behind it.</source>
        <translation>{formula}

Klicken, um die {count} Arbeitsaufträge dahinter aufzulisten.</translation>
    </message>
    <message>
        <source>the asset is down (not able to run)</source>
        <translation>die Anlage steht (nicht betriebsfähig)</translation>
    </message>
    <message>
        <source>What was found and done</source>
        <translation>Was gefunden und getan wurde</translation>
    </message>
    <message>
        <source>Planned &amp;start</source>
        <translation>Geplanter &amp;Beginn</translation>
    </message>
    <message>
        <source>Planned e&amp;nd</source>
        <translation>Geplantes E&amp;nde</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>&amp;Lösung</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <source>Please check your entries</source>
        <translation>Bitte Eingaben prüfen</translation>
    </message>
    <message>
        <source>Nothing was saved.</source>
        <translation>Nichts wurde gespeichert.</translation>
    </message>
    <message>
        <source>Not saved: fix the entries marked in red.</source>
        <translation>Nicht gespeichert: die rot markierten Eingaben korrigieren.</translation>
    </message>
    <message>
        <source>Cannot {verb} {number}</source>
        <translation>{number} kann nicht: {verb}</translation>
    </message>
    <message>
        <source>{number} cannot {verb} yet. Still missing:</source>
        <translation>{number} kann noch nicht: {verb}. Es fehlt noch:</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>Nicht erledigt</translation>
    </message>
    <message>
        <source>New work order</source>
        <translation>Neuer Arbeitsauftrag</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>Create the work order (Ctrl+S)</source>
        <translation>Den Arbeitsauftrag anlegen (Strg+S)</translation>
    </message>
    <message>
        <source>Not created: fix the entries marked in red.</source>
        <translation>Nicht angelegt: die rot markierten Eingaben korrigieren.</translation>
    </message>
    <message>
        <source>Not created</source>
        <translation>Nicht angelegt</translation>
    </message>
    <message>
        <source>Created {number}. Please check for a duplicate:
</source>
        <translation>{number} angelegt. Bitte auf Dubletten prüfen:
</translation>
    </message>
    <message>
        <source>Created {number}.</source>
        <translation>{number} angelegt.</translation>
    </message>
    <message>
        <source>&amp;1 Details</source>
        <translation>&amp;1 Details</translation>
    </message>
    <message>
        <source>&amp;2 Assignment</source>
        <translation>&amp;2 Zuweisung</translation>
    </message>
    <message>
        <source>&amp;3 Checklist</source>
        <translation>&amp;3 Checkliste</translation>
    </message>
    <message>
        <source>&amp;4 Labour &amp;&amp; downtime</source>
        <translation>&amp;4 Arbeitszeit &amp;&amp; Stillstand</translation>
    </message>
    <message>
        <source>&amp;5 Failure codes</source>
        <translation>&amp;5 Fehlercodes</translation>
    </message>
    <message>
        <source>&amp;6 History &amp;&amp; audit</source>
        <translation>&amp;6 Verlauf &amp;&amp; Prüfpfad</translation>
    </message>
    <message>
        <source>&amp;7 Attachments &amp;&amp; addenda</source>
        <translation>&amp;7 Anhänge &amp;&amp; Nachträge</translation>
    </message>
    <message>
        <source>&amp;8 Parts</source>
        <translation>&amp;8 Teile</translation>
    </message>
    <message>
        <source>&amp;9 Lock-out</source>
        <translation>&amp;9 Freischaltung</translation>
    </message>
    <message>
        <source> — read-only, addenda only</source>
        <translation> — schreibgeschützt, nur Nachträge</translation>
    </message>
    <message>
        <source>Saved {number}.</source>
        <translation>{number} gespeichert.</translation>
    </message>
    <message>
        <source>{number} is now {value}.</source>
        <translation>{number} ist jetzt {value}.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>You have changes that are not saved. Save them before closing?</source>
        <translation>Es gibt ungespeicherte Änderungen. Vor dem Schließen speichern?</translation>
    </message>
    <message>
        <source>&amp;Impact</source>
        <translation>&amp;Auswirkung</translation>
    </message>
    <message>
        <source>Failure &amp;mode</source>
        <translation>Ausfall&amp;art</translation>
    </message>
    <message>
        <source>Me&amp;chanism</source>
        <translation>Me&amp;chanismus</translation>
    </message>
    <message>
        <source>C&amp;ause</source>
        <translation>U&amp;rsache</translation>
    </message>
    <message>
        <source>&amp;Detection method</source>
        <translation>&amp;Entdeckungsmethode</translation>
    </message>
    <message>
        <source>Maintenance ac&amp;tivity</source>
        <translation>Instandhaltungs&amp;tätigkeit</translation>
    </message>
    <message>
        <source>Failure codes</source>
        <translation>Fehlercodes</translation>
    </message>
    <message>
        <source>Counts as a failure (used for MTBF)</source>
        <translation>Zählt als Ausfall (für MTBF)</translation>
    </message>
    <message>
        <source>* needed before corrective, emergency and predictive work can be completed. Type any part of a code or its name to find it.</source>
        <translation>* nötig, bevor Störungs-, Notfall- und vorausschauende Arbeit abgeschlossen werden kann. Einen Teil eines Codes oder seines Namens tippen, um ihn zu finden.</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>Schätzung</translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation>Geplanter Beginn</translation>
    </message>
    <message>
        <source>Planned end</source>
        <translation>Geplantes Ende</translation>
    </message>
    <message>
        <source>Asset down</source>
        <translation>Anlage steht</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Lösung</translation>
    </message>
    <message>
        <source>Counts as a failure</source>
        <translation>Zählt als Ausfall</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>created</source>
        <translation>angelegt</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>zugewiesen</translation>
    </message>
    <message>
        <source>file attached</source>
        <translation>Datei angehängt</translation>
    </message>
    <message>
        <source>addendum</source>
        <translation>Nachtrag</translation>
    </message>
    <message>
        <source>checklist added</source>
        <translation>Checkliste hinzugefügt</translation>
    </message>
    <message>
        <source>checklist answered</source>
        <translation>Checkliste beantwortet</translation>
    </message>
    <message>
        <source>downtime added</source>
        <translation>Stillstand erfasst</translation>
    </message>
    <message>
        <source>downtime ended</source>
        <translation>Stillstand beendet</translation>
    </message>
    <message>
        <source>labour booked</source>
        <translation>Arbeitszeit gebucht</translation>
    </message>
    <message>
        <source>lock applied</source>
        <translation>Schloss angebracht</translation>
    </message>
    <message>
        <source>lock removed</source>
        <translation>Schloss entfernt</translation>
    </message>
    <message>
        <source>isolation verified</source>
        <translation>Energiefreiheit geprüft</translation>
    </message>
    <message>
        <source>parts reserved</source>
        <translation>Teile reserviert</translation>
    </message>
    <message>
        <source>parts released</source>
        <translation>Teile freigegeben</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>Status history</source>
        <translation>Statusverlauf</translation>
    </message>
    <message>
        <source>Audit trail (newest first)</source>
        <translation>Prüfpfad (neueste zuerst)</translation>
    </message>
    <message>
        <source>{value} audited changes</source>
        <translation>{value} protokollierte Änderungen</translation>
    </message>
    <message>
        <source>No audited changes: this record was loaded in bulk and not changed since.</source>
        <translation>Keine protokollierten Änderungen: dieser Datensatz wurde gesammelt geladen und seitdem nicht geändert.</translation>
    </message>
    <message>
        <source>Move to:</source>
        <translation>Verschieben nach:</translation>
    </message>
    <message>
        <source>Cancel work order…</source>
        <translation>Auftrag stornieren…</translation>
    </message>
    <message>
        <source>Only {roles} may do this: {verb}</source>
        <translation>Nur {roles} dürfen das: {verb}</translation>
    </message>
    <message>
        <source>{value}: move to {value2}</source>
        <translation>{value}: nach {value2} verschieben</translation>
    </message>
    <message>
        <source>Why (required)</source>
        <translation>Warum (Pflicht)</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>Notiz (optional)</translation>
    </message>
    <message>
        <source>&amp;Hold reason</source>
        <translation>&amp;Grund für Zurückstellung</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Notiz</translation>
    </message>
    <message>
        <source>choose the asset the work is for (type part of its code or name)</source>
        <translation>die Anlage wählen, für die die Arbeit ist (einen Teil ihrer Kennung oder ihres Namens tippen)</translation>
    </message>
    <message>
        <source>type part of an asset code or name</source>
        <translation>Teil einer Anlagenkennung oder eines Namens tippen</translation>
    </message>
    <message>
        <source>what is wrong or what is to be done</source>
        <translation>was defekt ist oder was zu tun ist</translation>
    </message>
    <message>
        <source>Left empty, the order is due after the priority&apos;s default time</source>
        <translation>Leer gelassen, ist der Auftrag nach der Standardzeit der Priorität fällig</translation>
    </message>
    <message>
        <source>the asset is down now (downtime starts)</source>
        <translation>die Anlage steht jetzt (Stillstand beginnt)</translation>
    </message>
    <message>
        <source>&amp;Asset</source>
        <translation>&amp;Anlage</translation>
    </message>
    <message>
        <source>T&amp;ype</source>
        <translation>A&amp;rt</translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation>&amp;Priorität</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>&amp;Titel</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Beschreibung</translation>
    </message>
    <message>
        <source>D&amp;ue</source>
        <translation>F&amp;ällig</translation>
    </message>
    <message>
        <source>&amp;Estimate</source>
        <translation>&amp;Schätzung</translation>
    </message>
    <message>
        <source>&amp;Checklists</source>
        <translation>&amp;Checklisten</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>Verfügbarkeit</translation>
    </message>
    <message>
        <source>Backlog</source>
        <translation>Auftragsbestand</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>PM compliance</source>
        <translation>PM-Erfüllung</translation>
    </message>
    <message>
        <source>Schedule compliance</source>
        <translation>Planerfüllung</translation>
    </message>
    <message>
        <source>Planned work</source>
        <translation>Geplante Arbeit</translation>
    </message>
    <message>
        <source>Reactive work</source>
        <translation>Reaktive Arbeit</translation>
    </message>
    <message>
        <source>Proactive work</source>
        <translation>Proaktive Arbeit</translation>
    </message>
    <message>
        <source>Emergency share</source>
        <translation>Notfallanteil</translation>
    </message>
    <message>
        <source>Booked-time utilisation</source>
        <translation>Auslastung (gebuchte Zeit)</translation>
    </message>
    <message>
        <source>Maintenance cost</source>
        <translation>IH-Kosten</translation>
    </message>
    <message>
        <source>Cost / RAV</source>
        <translation>Kosten / WBW</translation>
    </message>
    <message>
        <source>derived</source>
        <translation>abgeleitet</translation>
    </message>
    <message>
        <source>derived (not wrench time, SMRP 5.6.1)</source>
        <translation>abgeleitet (keine Werkzeugzeit, SMRP 5.6.1)</translation>
    </message>
    <message>
        <source>mean of (restored - failed) over failure orders completed in the period</source>
        <translation>Mittelwert von (wiederhergestellt - ausgefallen) über die im Zeitraum abgeschlossenen Störungsaufträge</translation>
    </message>
    <message>
        <source>operating hours of the assets / failure orders completed in the period</source>
        <translation>Betriebsstunden der Anlagen / im Zeitraum abgeschlossene Störungsaufträge</translation>
    </message>
    <message>
        <source>(period - idle - downtime hours) / (period - idle hours) x 100</source>
        <translation>(Zeitraum - Leerlauf - Stillstandsstunden) / (Zeitraum - Leerlaufstunden) x 100</translation>
    </message>
    <message>
        <source>sum of max(estimate - labour logged, 0) of approved..on_hold orders / weekly crew capacity</source>
        <translation>Summe von max(Schätzung - gebuchte Arbeitszeit, 0) der freigegebenen bis zurückgestellten Aufträge / wöchentliche Teamkapazität</translation>
    </message>
    <message>
        <source>open orders whose due time has passed</source>
        <translation>offene Aufträge, deren Fälligkeit verstrichen ist</translation>
    </message>
    <message>
        <source>PM orders due in the period done by due + grace / PM orders due x 100</source>
        <translation>im Zeitraum fällige PM-Aufträge, erledigt bis Fälligkeit + Toleranz / fällige PM-Aufträge x 100</translation>
    </message>
    <message>
        <source>orders on a week&apos;s schedule completed that week / orders on the schedule x 100</source>
        <translation>Aufträge eines Wochenplans, in der Woche abgeschlossen / Aufträge im Plan x 100</translation>
    </message>
    <message>
        <source>labour hours on orders scheduled with an estimate before start / all labour hours x 100</source>
        <translation>Arbeitsstunden auf Aufträgen, die vor Beginn mit Schätzung eingeplant waren / alle Arbeitsstunden x 100</translation>
    </message>
    <message>
        <source>labour hours on orders that broke into the week&apos;s schedule / all labour hours x 100</source>
        <translation>Arbeitsstunden auf Aufträgen, die in den Wochenplan eingebrochen sind / alle Arbeitsstunden x 100</translation>
    </message>
    <message>
        <source>labour hours on PM, PdM and inspection orders and on work raised by a PM schedule, a condition rule or an inspection finding / all labour hours x 100</source>
        <translation>Arbeitsstunden auf PM-, PdM- und Inspektionsaufträgen und auf Arbeit aus einem Wartungsplan, einer Zustandsregel oder einem Inspektionsbefund / alle Arbeitsstunden x 100</translation>
    </message>
    <message>
        <source>labour hours on emergency orders / all labour hours x 100</source>
        <translation>Arbeitsstunden auf Notfallaufträgen / alle Arbeitsstunden x 100</translation>
    </message>
    <message>
        <source>labour hours logged by technicians / their available straight-time hours x 100</source>
        <translation>von Technikern gebuchte Arbeitsstunden / ihre verfügbaren Regelarbeitsstunden x 100</translation>
    </message>
    <message>
        <source>labour hours x rate + parts issued - parts returned + external cost, of orders completed in the period</source>
        <translation>Arbeitsstunden x Satz + entnommene Teile - zurückgegebene Teile + Fremdkosten, der im Zeitraum abgeschlossenen Aufträge</translation>
    </message>
    <message>
        <source>annualised maintenance cost / replacement asset value x 100</source>
        <translation>aufs Jahr gerechnete Instandhaltungskosten / Wiederbeschaffungswert x 100</translation>
    </message>
    <message>
        <source>{value} h</source>
        <translation>{value} h</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>{value} %</source>
        <translation>{value} %</translation>
    </message>
    <message>
        <source>{value}</source>
        <translation>{value}</translation>
    </message>
    <message>
        <source>{value} weeks</source>
        <translation>{value} Wochen</translation>
    </message>
    <message>
        <source>running hours from tags for {tagged} of {assets} assets, calendar hours less downtime for the rest</source>
        <translation>Betriebsstunden aus Tags für {tagged} von {assets} Anlagen, Kalenderstunden abzüglich Stillstand für die übrigen</translation>
    </message>
    <message>
        <source>calendar hours less downtime (no running-hours tags)</source>
        <translation>Kalenderstunden abzüglich Stillstand (keine Betriebsstunden-Tags)</translation>
    </message>
    <message>
        <source>from the failure</source>
        <translation>ab dem Ausfall</translation>
    </message>
    <message>
        <source>from technician start</source>
        <translation>ab Arbeitsbeginn</translation>
    </message>
    <message>
        <source>{failures} failures; {variant}</source>
        <translation>{failures} Ausfälle; {variant}</translation>
    </message>
    <message>
        <source>no failures in {hours} operating hours</source>
        <translation>keine Ausfälle in {hours} Betriebsstunden</translation>
    </message>
    <message>
        <source>{assets} assets; {basis}</source>
        <translation>{assets} Anlagen; {basis}</translation>
    </message>
    <message>
        <source>{assets} assets; planned and unplanned downtime</source>
        <translation>{assets} Anlagen; geplanter und ungeplanter Stillstand</translation>
    </message>
    <message>
        <source>{orders} PM orders due</source>
        <translation>{orders} PM-Aufträge fällig</translation>
    </message>
    <message>
        <source>{orders} orders on weekly schedules that have ended</source>
        <translation>{orders} Aufträge in abgelaufenen Wochenplänen</translation>
    </message>
    <message>
        <source>{booked} h booked of {available} h; {technicians} active technicians, site-wide, absences not recorded</source>
        <translation>{booked} h gebucht von {available} h; {technicians} aktive Techniker, ganzes Werk, Abwesenheiten nicht erfasst</translation>
    </message>
    <message>
        <source>{orders} orders completed; labour, parts issued (no external cost field)</source>
        <translation>{orders} Aufträge abgeschlossen; Arbeitszeit, entnommene Teile (kein Feld für Fremdkosten)</translation>
    </message>
    <message>
        <source>annualised; replacement value {value}</source>
        <translation>aufs Jahr gerechnet; WBW {value}</translation>
    </message>
    <message>
        <source>{orders} orders, {hours} h remaining; crew {crew} h/week</source>
        <translation>{orders} Aufträge, {hours} h offen; Team {crew} h/Woche</translation>
    </message>
    <message>
        <source>open orders past their due time</source>
        <translation>offene Aufträge über ihrer Fälligkeit</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <source>needs the PM schedules (their intervals set the grace); not connected</source>
        <translation>braucht die Wartungspläne (ihre Intervalle bestimmen die Toleranz); nicht verbunden</translation>
    </message>
    <message>
        <source>of {hours} labour hours (by entry date)</source>
        <translation>von {hours} Arbeitsstunden (nach Buchungsdatum)</translation>
    </message>
    <message>
        <source>Work order board</source>
        <translation>Auftragstafel</translation>
    </message>
    <message>
        <source>in progress and on hold</source>
        <translation>in Arbeit und zurückgestellt</translation>
    </message>
    <message>
        <source>completed in the last {days} days</source>
        <translation>erledigt in den letzten {days} Tagen</translation>
    </message>
    <message>
        <source>Key figures, last 30 days</source>
        <translation>Kennzahlen, letzte 30 Tage</translation>
    </message>
    <message>
        <source>Computing the key figures…</source>
        <translation>Kennzahlen werden berechnet…</translation>
    </message>
    <message>
        <source>no previous figure</source>
        <translation>kein Vorwert</translation>
    </message>
    <message>
        <source>same as the 30 days before</source>
        <translation>wie in den 30 Tagen davor</translation>
    </message>
    <message>
        <source>{change} vs the 30 days before</source>
        <translation>{change} ggü. den 30 Tagen davor</translation>
    </message>
    <message>
        <source>Overdue and emergency work</source>
        <translation>Überfällige und Notfallaufträge</translation>
    </message>
    <message>
        <source>{overdue} overdue  ·  {emergency} emergency  (open orders)</source>
        <translation>{overdue} überfällig  ·  {emergency} Notfall  (offene Aufträge)</translation>
    </message>
    <message>
        <source>Nothing overdue, no open emergency work.</source>
        <translation>Nichts überfällig, kein offener Notfall.</translation>
    </message>
    <message>
        <source>{count} more not shown</source>
        <translation>{count} weitere nicht angezeigt</translation>
    </message>
    <message>
        <source>overdue {duration}</source>
        <translation>überfällig seit {duration}</translation>
    </message>
    <message>
        <source>due {at}</source>
        <translation>fällig {at}</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
    <message>
        <source>{days} days</source>
        <translation>{days} Tagen</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation>Alle zeigen</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Zuweisen…</translation>
    </message>
    <message>
        <source>Move to</source>
        <translation>Verschieben nach</translation>
    </message>
    <message>
        <source>Print sheets…</source>
        <translation>Blätter drucken…</translation>
    </message>
    <message>
        <source> behind {what}</source>
        <translation> hinter {what}</translation>
    </message>
    <message>
        <source>{total} work orders{behind}</source>
        <translation>{total} Arbeitsaufträge{behind}</translation>
    </message>
    <message>
        <source>Assigned {done} of {total}</source>
        <translation>{done} von {total} zugewiesen</translation>
    </message>
    <message>
        <source>Moved {done} of {total} to {status}</source>
        <translation>{done} von {total} nach „{status}“ verschoben</translation>
    </message>
    <message>
        <source>what was done</source>
        <translation>was getan wurde</translation>
    </message>
    <message>
        <source>Add &amp;labour</source>
        <translation>&amp;Arbeitszeit hinzufügen</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>Arbeitszeit</translation>
    </message>
    <message>
        <source>Start</source>
        <comment>column</comment>
        <translation>Beginnen</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <source>until</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>reason code, e.g. breakdown</source>
        <translation>Ursachencode, z. B. Störung</translation>
    </message>
    <message>
        <source>Add &amp;period</source>
        <translation>&amp;Zeitraum hinzufügen</translation>
    </message>
    <message>
        <source>&amp;End open periods now</source>
        <translation>Offene Zeiträume jetzt &amp;beenden</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Stillstand</translation>
    </message>
    <message>
        <source>Downtime</source>
        <translation>Stillstand</translation>
    </message>
    <message>
        <source>Entries: {value}, {labour_hours} h, labour cost {cost}</source>
        <translation>Einträge: {value}, {labour_hours} h, Arbeitskosten {cost}</translation>
    </message>
    <message>
        <source>enter when the asset went down</source>
        <translation>angeben, wann die Anlage stehen blieb</translation>
    </message>
    <message>
        <source>Labour hours</source>
        <translation>Arbeitsstunden</translation>
    </message>
    <message>
        <source>Sum of the hours booked on these work orders.</source>
        <translation>Summe der auf diese Aufträge gebuchten Stunden.</translation>
    </message>
    <message>
        <source>Labour cost</source>
        <translation>Arbeitskosten</translation>
    </message>
    <message>
        <source>Σ hours × the rate kept with each labour entry.</source>
        <translation>Σ Stunden × der mit jedem Arbeitseintrag gespeicherte Satz.</translation>
    </message>
    <message>
        <source>Parts cost</source>
        <translation>Teilekosten</translation>
    </message>
    <message>
        <source>Parts issued to these work orders, less returns.</source>
        <translation>An diese Aufträge ausgegebene Teile, abzüglich Rückgaben.</translation>
    </message>
    <message>
        <source>Downtime hours</source>
        <translation>Stillstandsstunden</translation>
    </message>
    <message>
        <source>Sum of the downtime periods (planned and unplanned); open periods count until now.</source>
        <translation>Summe der Stillstandszeiträume (geplant und ungeplant); offene Zeiträume zählen bis jetzt.</translation>
    </message>
    <message>
        <source>MTBF</source>
        <translation>MTBF</translation>
    </message>
    <message>
        <source>SMRP 3.5.1: operating hours ÷ failure work orders completed in the period. Operating hours: period hours × assets − downtime hours.</source>
        <translation>SMRP 3.5.1: Betriebsstunden ÷ im Zeitraum abgeschlossene Störungsaufträge. Betriebsstunden: Stunden des Zeitraums × Anlagen − Stillstandsstunden.</translation>
    </message>
    <message>
        <source>MTTR</source>
        <translation>MTTR</translation>
    </message>
    <message>
        <source>SMRP 3.5.2 (2009): mean of restored − failed over the failure work orders completed, from the earliest unplanned downtime start (else requested) to the latest unplanned downtime end (else completed).</source>
        <translation>SMRP 3.5.2 (2009): Mittelwert von wiederhergestellt − ausgefallen über die abgeschlossenen Störungsaufträge, vom frühesten ungeplanten Stillstandsbeginn (sonst angefordert) bis zum spätesten ungeplanten Stillstandsende (sonst abgeschlossen).</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Ausfälle</translation>
    </message>
    <message>
        <source>Failure work orders completed in the period.</source>
        <translation>Im Zeitraum abgeschlossene Störungsaufträge.</translation>
    </message>
    <message>
        <source>planned + unplanned</source>
        <translation>geplant + ungeplant</translation>
    </message>
    <message>
        <source>no failures</source>
        <translation>keine Ausfälle</translation>
    </message>
    <message>
        <source>nothing recorded yet</source>
        <translation>noch nichts erfasst</translation>
    </message>
    <message>
        <source>in {hours} op. h</source>
        <translation>in {hours} Betriebs-h</translation>
    </message>
    <message>
        <source>over {hours} op. h</source>
        <translation>über {hours} Betriebs-h</translation>
    </message>
    <message>
        <source>no repairs</source>
        <translation>keine Reparaturen</translation>
    </message>
    <message>
        <source>failed → restored</source>
        <translation>Ausfall → wiederhergestellt</translation>
    </message>
    <message>
        <source>nothing recorded</source>
        <translation>nichts erfasst</translation>
    </message>
    <message>
        <source>since {day}</source>
        <translation>seit {day}</translation>
    </message>
    <message>
        <source>Meters and tags</source>
        <translation>Zähler und Tags</translation>
    </message>
    <message>
        <source>, read {day}</source>
        <translation>, abgelesen {day}</translation>
    </message>
    <message>
        <source>OPC UA tags ({count}):</source>
        <translation>OPC-UA-Tags ({count}):</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… und {count} weitere</translation>
    </message>
    <message>
        <source>No meters or OPC UA tags on {code}.</source>
        <translation>Keine Zähler oder OPC-UA-Tags an {code}.</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>{type} on {asset}, priority {priority}, {status}, assigned: {crew}</source>
        <translation>{type} an {asset}, Priorität {priority}, {status}, zugewiesen: {crew}</translation>
    </message>
    <message>
        <source>no due date</source>
        <translation>kein Fälligkeitsdatum</translation>
    </message>
    <message>
        <source>due {when}</source>
        <translation>fällig {when}</translation>
    </message>
    <message>
        <source>late</source>
        <translation>überfällig</translation>
    </message>
    <message>
        <source>{days}d</source>
        <translation>{days} T</translation>
    </message>
    <message>
        <source>waiting for parts</source>
        <translation>wartet auf Teile</translation>
    </message>
    <message>
        <source>requested</source>
        <translation>angefordert</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>eingeplant</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>in Arbeit</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>zurückgestellt</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>storniert</translation>
    </message>
    <message>
        <source>preventive</source>
        <translation>vorbeugend</translation>
    </message>
    <message>
        <source>corrective</source>
        <translation>Störung</translation>
    </message>
    <message>
        <source>emergency</source>
        <translation>Notfall</translation>
    </message>
    <message>
        <source>predictive</source>
        <translation>vorausschauend</translation>
    </message>
    <message>
        <source>inspection</source>
        <translation>Inspektion</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>access</source>
        <translation>Zugang</translation>
    </message>
    <message>
        <source>shutdown</source>
        <translation>Stillstand</translation>
    </message>
    <message>
        <source>other</source>
        <translation>sonstiges</translation>
    </message>
    <message>
        <source>area</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>system</source>
        <translation>System</translation>
    </message>
    <message>
        <source>equipment</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>component</source>
        <translation>Bauteil</translation>
    </message>
    <message>
        <source>in service</source>
        <translation>in Betrieb</translation>
    </message>
    <message>
        <source>standby</source>
        <translation>Reserve</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>außer Betrieb</translation>
    </message>
    <message>
        <source>decommissioned</source>
        <translation>ausgemustert</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>Wochen</translation>
    </message>
    <message>
        <source>months</source>
        <translation>Monate</translation>
    </message>
    <message>
        <source>years</source>
        <translation>Jahre</translation>
    </message>
    <message>
        <source>receipt</source>
        <translation>Zugang</translation>
    </message>
    <message>
        <source>issue</source>
        <translation>Entnahme</translation>
    </message>
    <message>
        <source>return</source>
        <translation>Rückgabe</translation>
    </message>
    <message>
        <source>adjustment</source>
        <translation>Korrektur</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>Umlagerung</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>ordered</source>
        <translation>bestellt</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>versandt</translation>
    </message>
    <message>
        <source>partly received</source>
        <translation>teilweise geliefert</translation>
    </message>
    <message>
        <source>received</source>
        <translation>geliefert</translation>
    </message>
    <message>
        <source>request</source>
        <translation>Anforderung</translation>
    </message>
    <message>
        <source>breakdown report</source>
        <translation>Störmeldung</translation>
    </message>
    <message>
        <source>pm schedule</source>
        <translation>Wartungsplan</translation>
    </message>
    <message>
        <source>condition rule</source>
        <translation>Zustandsregel</translation>
    </message>
    <message>
        <source>inspection finding</source>
        <translation>Inspektionsbefund</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>i. O.</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>n. i. O.</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>Betrachter</translation>
    </message>
    <message>
        <source>technician</source>
        <translation>Techniker</translation>
    </message>
    <message>
        <source>planner</source>
        <translation>Planer</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>Meister</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <source>started</source>
        <translation>begonnen</translation>
    </message>
    <message>
        <source>asset back up</source>
        <translation>Anlage läuft wieder</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>Grenzwert</translation>
    </message>
    <message>
        <source>rate of change</source>
        <translation>Änderungsrate</translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation>Störung</translation>
    </message>
    <message>
        <source>Jam / blockage</source>
        <translation>Stau / Blockade</translation>
    </message>
    <message>
        <source>No material</source>
        <translation>Kein Material</translation>
    </message>
    <message>
        <source>No operator</source>
        <translation>Kein Bediener</translation>
    </message>
    <message>
        <source>Quality problem</source>
        <translation>Qualitätsproblem</translation>
    </message>
    <message>
        <source>Changeover</source>
        <translation>Umrüsten</translation>
    </message>
    <message>
        <source>Cleaning</source>
        <translation>Reinigung</translation>
    </message>
    <message>
        <source>Planned maintenance</source>
        <translation>Geplante Wartung</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <source>Approve</source>
        <comment>lifecycle move</comment>
        <translation>Freigeben</translation>
    </message>
    <message>
        <source>Schedule</source>
        <comment>lifecycle move</comment>
        <translation>Einplanen</translation>
    </message>
    <message>
        <source>Unschedule</source>
        <comment>lifecycle move</comment>
        <translation>Ausplanen</translation>
    </message>
    <message>
        <source>Start</source>
        <comment>lifecycle move</comment>
        <translation>Beginnen</translation>
    </message>
    <message>
        <source>Put on hold</source>
        <comment>lifecycle move</comment>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <source>Resume</source>
        <comment>lifecycle move</comment>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Complete</source>
        <comment>lifecycle move</comment>
        <translation>Abschließen</translation>
    </message>
    <message>
        <source>Close</source>
        <comment>lifecycle move</comment>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Reopen</source>
        <comment>lifecycle move</comment>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <comment>lifecycle move</comment>
        <translation>Stornieren</translation>
    </message>
    <message>
        <source>Energy source</source>
        <translation>Energiequelle</translation>
    </message>
    <message>
        <source>Device at lock point</source>
        <translation>Trennvorrichtung an Sperrstelle</translation>
    </message>
    <message>
        <source>Proven by</source>
        <translation>Nachweis durch</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Schloss</translation>
    </message>
    <message>
        <source>Zero energy</source>
        <translation>Energiefreiheit</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>not locked</source>
        <translation>nicht gesperrt</translation>
    </message>
    <message>
        <source> (read {value})</source>
        <translation> (gelesen {value})</translation>
    </message>
    <message>
        <source>still locked out at {point}</source>
        <translation>Schloss hängt noch an {point}</translation>
    </message>
    <message>
        <source>while it was locked out at {point}</source>
        <translation>während das Schloss an {point} hing</translation>
    </message>
    <message>
        <source>SAFETY ALARM: {tag} read {reading} (zero is at most {zero}) at {at}, {where}</source>
        <translation>SICHERHEITSALARM: {tag} zeigte {reading} (Null ist höchstens {zero}) um {at}, {where}</translation>
    </message>
    <message>
        <source>not acknowledged yet (the control-room display asks for it)</source>
        <translation>noch nicht quittiert (die Leitstandsanzeige fragt danach)</translation>
    </message>
    <message>
        <source>acknowledged by {0} with their {1} · {2}</source>
        <translation>quittiert von {0} mit eigener {1} · {2}</translation>
    </message>
    <message>
        <source>the number on the padlock</source>
        <translation>die Nummer auf dem Vorhängeschloss</translation>
    </message>
    <message>
        <source>Who (their own lock)</source>
        <translation>Wer (eigenes Schloss)</translation>
    </message>
    <message>
        <source>Their password or PIN</source>
        <translation>Sein Passwort oder seine PIN</translation>
    </message>
    <message>
        <source>Lock number</source>
        <translation>Schlossnummer</translation>
    </message>
    <message>
        <source>&amp;Apply lock</source>
        <translation>Schloss &amp;anbringen</translation>
    </message>
    <message>
        <source>&amp;Verify zero energy</source>
        <translation>Energiefreiheit &amp;prüfen</translation>
    </message>
    <message>
        <source>&amp;Remove lock</source>
        <translation>Schloss &amp;entfernen</translation>
    </message>
    <message>
        <source>Select a step, then:</source>
        <translation>Schritt auswählen, dann:</translation>
    </message>
    <message>
        <source>{device} at {point}</source>
        <translation>{device} an {point}</translation>
    </message>
    <message>
        <source>Isolation {position} applied by {who}.</source>
        <translation>Trennung {position} angebracht von {who}.</translation>
    </message>
    <message>
        <source>Isolation {position} verified by {who}.</source>
        <translation>Trennung {position} geprüft von {who}.</translation>
    </message>
    <message>
        <source>Isolation {position} removed by {who}.</source>
        <translation>Trennung {position} entfernt von {who}.</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>In Arbeit…</translation>
    </message>
    <message>
        <source>Not done.</source>
        <translation>Nicht ausgeführt.</translation>
    </message>
    <message>
        <source>Not done: {reason}</source>
        <translation>Nicht ausgeführt: {reason}</translation>
    </message>
    <message>
        <source>Cannot open the database.</source>
        <translation>Die Datenbank lässt sich nicht öffnen.</translation>
    </message>
    <message>
        <source>Code the stop</source>
        <translation>Stillstand begründen</translation>
    </message>
    <message>
        <source>{what} unreachable since {at} — retrying by itself</source>
        <translation>{what} nicht erreichbar seit {at} — neuer Versuch läuft automatisch</translation>
    </message>
    <message>
        <source>Report breakdown</source>
        <translation>Störung melden</translation>
    </message>
    <message>
        <source>{count} more waiting for acknowledgement</source>
        <translation>{count} weitere warten auf Quittierung</translation>
    </message>
    <message>
        <source>ALARM  ·  {asset}  ·  {at}</source>
        <translation>ALARM  ·  {asset}  ·  {at}</translation>
    </message>
    <message>
        <source>SAFETY  ·  RE-ENERGISED WHILE LOCKED OUT  ·  {asset}  ·  {order}  ·  {at}</source>
        <translation>SICHERHEIT  ·  TROTZ SPERRE WIEDER UNTER ENERGIE  ·  {asset}  ·  {order}  ·  {at}</translation>
    </message>
    <message>
        <source>{tag} reads {reading} behind the lock at {point}: stop the work and check the isolation</source>
        <translation>{tag} zeigt {reading} hinter der Sperre an {point}: Arbeit einstellen und die Trennung prüfen</translation>
    </message>
    <message>
        <source>EMERGENCY  ·  {order}  ·  {asset}  ·  {at}</source>
        <translation>NOTFALL  ·  {order}  ·  {asset}  ·  {at}</translation>
    </message>
    <message>
        <source>still stopped</source>
        <translation>steht noch</translation>
    </message>
    <message>
        <source>ran again at {at}</source>
        <translation>lief wieder um {at}</translation>
    </message>
    <message>
        <source>Why did it stop? Touch the reason.</source>
        <translation>Warum stand sie? Grund antippen.</translation>
    </message>
    <message>
        <source>A long stop of a critical machine with no work order: report it, or code it.</source>
        <translation>Langer Stillstand einer kritischen Maschine ohne Auftrag: melden oder begründen.</translation>
    </message>
    <message>
        <source>STOPPED  ·  {asset}  ·  {at}  ·  {minutes} min</source>
        <translation>STILLSTAND  ·  {asset}  ·  {at}  ·  {minutes} min</translation>
    </message>
    <message>
        <source>{stops} stops ({minutes} min), {alarms} alarms, {emergencies} emergencies open, {on_hold} on hold for parts, {parts} parts drawn.</source>
        <translation>{stops} Stillstände ({minutes} min), {alarms} Alarme, {emergencies} Notfälle offen, {on_hold} warten auf Teile, {parts} Teile entnommen.</translation>
    </message>
    <message>
        <source>Notes: {first}</source>
        <translation>Notizen: {first}</translation>
    </message>
    <message>
        <source>SHIFT HANDOVER  ·  {label}</source>
        <translation>SCHICHTÜBERGABE  ·  {label}</translation>
    </message>
    <message>
        <source>The incoming shift acknowledges with a PIN.</source>
        <translation>Die kommende Schicht quittiert mit PIN.</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Notfall</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <source>Live trends and alarms</source>
        <translation>Live-Trends und Alarme</translation>
    </message>
    <message>
        <source>No OPC UA tags are mapped yet.</source>
        <translation>Noch keine OPC-UA-Tags zugeordnet.</translation>
    </message>
    <message>
        <source>{count} more active alarms</source>
        <translation>{count} weitere aktive Alarme</translation>
    </message>
    <message>
        <source>No active alarms.</source>
        <translation>Keine aktiven Alarme.</translation>
    </message>
    <message>
        <source>No alarm:</source>
        <translation>Kein Alarm:</translation>
    </message>
    <message>
        <source>Report breakdown: {asset}</source>
        <translation>Störung melden: {asset}</translation>
    </message>
    <message>
        <source>Wrenchbook — report a problem</source>
        <translation>Wrenchbook — Problem melden</translation>
    </message>
    <message>
        <source>Scan the asset&apos;s label, or type its code or name</source>
        <translation>Etikett der Anlage scannen oder Kennung bzw. Namen tippen</translation>
    </message>
    <message>
        <source>Report a problem with a machine</source>
        <translation>Ein Problem an einer Maschine melden</translation>
    </message>
    <message>
        <source>No asset matches “{text}”.</source>
        <translation>Keine Anlage passt zu „{text}“.</translation>
    </message>
    <message>
        <source>What is wrong? (noise, leak, jam, what you saw)</source>
        <translation>Was ist los? (Geräusch, Leck, Stau, was Sie gesehen haben)</translation>
    </message>
    <message>
        <source>Add a photo or file…</source>
        <translation>Foto oder Datei hinzufügen…</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Add a photo or file</source>
        <translation>Foto oder Datei hinzufügen</translation>
    </message>
    <message>
        <source>Photos and documents</source>
        <translation>Fotos und Dokumente</translation>
    </message>
    <message>
        <source>Say what is wrong, or tick “The machine has stopped”.</source>
        <translation>Sagen Sie, was los ist, oder haken Sie „Die Maschine steht“ an.</translation>
    </message>
    <message>
        <source>No account? Your name</source>
        <translation>Kein Konto? Ihr Name</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>or as a guest</source>
        <translation>oder als Gast</translation>
    </message>
    <message>
        <source>Who reports it?</source>
        <translation>Wer meldet es?</translation>
    </message>
    <message>
        <source>Give your user name and PIN, or your name as a guest.</source>
        <translation>Benutzername und PIN angeben oder als Gast Ihren Namen.</translation>
    </message>
    <message>
        <source>Thank you. Request {order} is with the maintenance planners.</source>
        <translation>Danke. Meldung {order} ist bei der Instandhaltungsplanung.</translation>
    </message>
    <message>
        <source>Report another problem</source>
        <translation>Weiteres Problem melden</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>Datenbank wird geöffnet…</translation>
    </message>
    <message>
        <source>Log in to see the work orders.</source>
        <translation>Melden Sie sich an, um die Arbeitsaufträge zu sehen.</translation>
    </message>
    <message>
        <source>were written to {path}</source>
        <translation>wurden nach {path} geschrieben</translation>
    </message>
    <message>
        <source>are in the log</source>
        <translation>stehen im Protokoll</translation>
    </message>
    <message>
        <source>Something went wrong: {kind}: {error}

Nothing you saved before this is lost. The details {where}; please send that file to your administrator.</source>
        <translation>Etwas ist schiefgegangen: {kind}: {error}

Nichts, was Sie vorher gespeichert haben, ist verloren. Die Einzelheiten {where}; bitte diese Datei an Ihren Administrator schicken.</translation>
    </message>
    <message>
        <source>Cannot {verb} {number}:</source>
        <translation>{Verb} für {number} nicht möglich:</translation>
    </message>
    <message>
        <source>Please correct:</source>
        <translation>Bitte korrigieren:</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>waiting to reconnect</source>
        <translation>wartet auf neue Verbindung</translation>
    </message>
    <message>
        <source>server certificate not trusted</source>
        <translation>Serverzertifikat nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>OPC UA: {state}</source>
        <translation>OPC UA: {state}</translation>
    </message>
    <message>
        <source> (next try in {seconds} s)</source>
        <translation> (nächster Versuch in {seconds} s)</translation>
    </message>
    <message>
        <source>{short} (Trends: the tag list says what the server granted)</source>
        <translation>{short} (Trends: die Tag-Liste zeigt, was der Server gewährt hat)</translation>
    </message>
    <message>
        <source>OPC UA: {error}</source>
        <translation>OPC UA: {error}</translation>
    </message>
    <message>
        <source>The test failed: {message}</source>
        <translation>Der Test ist fehlgeschlagen: {message}</translation>
    </message>
    <message>
        <source>set</source>
        <translation>gesetzt</translation>
    </message>
    <message>
        <source>Asset labels</source>
        <translation>Anlagenetiketten</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Work-order register</source>
        <translation>Auftragsverzeichnis</translation>
    </message>
    <message>
        <source>Work-order records</source>
        <translation>Auftragsnachweise</translation>
    </message>
    <message>
        <source>Inspection log</source>
        <translation>Inspektionsprotokoll</translation>
    </message>
    <message>
        <source>Safety checklist log (lock-out/tag-out)</source>
        <translation>Sicherheitsprotokoll (Freischalten und Sichern)</translation>
    </message>
    <message>
        <source>Open and overdue work orders at the end of the period</source>
        <translation>Offene und überfällige Aufträge am Ende des Zeitraums</translation>
    </message>
    <message>
        <source>Audit trail for the period and chain verification</source>
        <translation>Änderungsprotokoll des Zeitraums und Prüfung der Kette</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} bis {end}</translation>
    </message>
    <message>
        <source>Audit pack</source>
        <translation>Auditpaket</translation>
    </message>
    <message>
        <source>Generated {time} by {name}</source>
        <translation>Erstellt {time} von {name}</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Shift handover — {site}</source>
        <translation>Schichtübergabe — {site}</translation>
    </message>
    <message>
        <source>Shift {start} – {end} ({zone}); drafted {drafted} from the records</source>
        <translation>Schicht {start} – {end} ({zone}); aus den Aufzeichnungen entworfen {drafted}</translation>
    </message>
    <message>
        <source>Machine stops ({count}, {minutes} min in the shift)</source>
        <translation>Maschinenstillstände ({count}, {minutes} min in der Schicht)</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Running again</source>
        <translation>Läuft wieder</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>not coded</source>
        <translation>nicht erfasst</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>No machine stopped.</source>
        <translation>Keine Maschine stand still.</translation>
    </message>
    <message>
        <source>Alarms ({count})</source>
        <translation>Alarme ({count})</translation>
    </message>
    <message>
        <source>No alarms.</source>
        <translation>Keine Alarme.</translation>
    </message>
    <message>
        <source>Emergencies still open ({count})</source>
        <translation>Noch offene Notfälle ({count})</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>Keine.</translation>
    </message>
    <message>
        <source>On hold for parts ({count})</source>
        <translation>Zurückgestellt wegen Teilen ({count})</translation>
    </message>
    <message>
        <source>Parts drawn ({count})</source>
        <translation>Entnommene Teile ({count})</translation>
    </message>
    <message>
        <source>No parts drawn.</source>
        <translation>Keine Teile entnommen.</translation>
    </message>
    <message>
        <source>Notes of the outgoing shift</source>
        <translation>Notizen der abgebenden Schicht</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Acknowledged by the incoming shift</source>
        <translation>Bestätigt von der übernehmenden Schicht</translation>
    </message>
    <message>
        <source>{name}, {time} (with their PIN)</source>
        <translation>{name}, {time} (mit PIN)</translation>
    </message>
    <message>
        <source>Not yet acknowledged. Signature: ______________________  Time: ________</source>
        <translation>Noch nicht bestätigt. Unterschrift: ______________________  Uhrzeit: ________</translation>
    </message>
    <message>
        <source>Shift handover {label}</source>
        <translation>Schichtübergabe {label}</translation>
    </message>
    <message>
        <source>page {page}</source>
        <translation>Seite {page}</translation>
    </message>
    <message>
        <source>Page {page} of </source>
        <translation>Seite {page} von </translation>
    </message>
    <message>
        <source>No work orders in this period and scope.</source>
        <translation>Keine Aufträge in diesem Zeitraum und Umfang.</translation>
    </message>
    <message>
        <source>P</source>
        <comment>priority, one letter</comment>
        <translation>P</translation>
    </message>
    <message>
        <source>Hours</source>
        <comment>short column heading</comment>
        <translation>Std.</translation>
    </message>
    <message>
        <source>No inspection work orders in this period and scope.</source>
        <translation>Keine Inspektionsaufträge in diesem Zeitraum und Umfang.</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Failed items</source>
        <translation>Nicht bestandene Punkte</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>not acknowledged</source>
        <translation>nicht quittiert</translation>
    </message>
    <message>
        <source>acknowledged by {name} ({means}) {time}</source>
        <translation>quittiert von {name} ({means}) {time}</translation>
    </message>
    <message>
        <source>NOT LOCKED</source>
        <translation>NICHT GESPERRT</translation>
    </message>
    <message>
        <source>lock {lock}</source>
        <translation>Schloss {lock}</translation>
    </message>
    <message>
        <source>read {value}</source>
        <translation>gemessen {value}</translation>
    </message>
    <message>
        <source>zero energy verified by {name} {time}</source>
        <translation>Energiefreiheit geprüft von {name} {time}</translation>
    </message>
    <message>
        <source>NOT VERIFIED</source>
        <translation>NICHT GEPRÜFT</translation>
    </message>
    <message>
        <source>removed by {name} {time}</source>
        <translation>entfernt von {name} {time}</translation>
    </message>
    <message>
        <source>STILL LOCKED</source>
        <translation>NOCH GESPERRT</translation>
    </message>
    <message>
        <source>SAFETY ALARM: {tag} read {value} at {time} while locked out</source>
        <translation>SICHERHEITSALARM: {tag} zeigte {value} um {time} trotz Sperre</translation>
    </message>
    <message>
        <source>UNANSWERED</source>
        <translation>UNBEANTWORTET</translation>
    </message>
    <message>
        <source>DONE</source>
        <translation>ERLEDIGT</translation>
    </message>
    <message>
        <source>Isolation {position}: {source} — {device} at {point}</source>
        <translation>Trennstelle {position}: {source} — {device} an {point}</translation>
    </message>
    <message>
        <source>No lock-out/tag-out checklists on the work orders of this pack.</source>
        <translation>Keine Freischalt-Checklisten an den Aufträgen dieses Pakets.</translation>
    </message>
    <message>
        <source>Safety item</source>
        <translation>Sicherheitspunkt</translation>
    </message>
    <message>
        <source>No work order was open at the end of the period.</source>
        <translation>Am Ende des Zeitraums war kein Auftrag offen.</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} T</translation>
    </message>
    <message>
        <source>{count} work orders were open at the end of the period, {overdue} of them overdue (status as it is now; late = days past due at the end).</source>
        <translation>{count} Aufträge waren am Ende des Zeitraums offen, davon {overdue} überfällig (Status wie jetzt; Verzug = Tage nach Fälligkeit am Ende).</translation>
    </message>
    <message>
        <source>Status now</source>
        <translation>Status jetzt</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Verzug</translation>
    </message>
    <message>
        <source>Chain verified: intact.</source>
        <translation>Kette geprüft: intakt.</translation>
    </message>
    <message>
        <source>{count} entries recomputed from the first; final hash:</source>
        <translation>{count} Einträge vom ersten an neu berechnet; letzter Hash:</translation>
    </message>
    <message>
        <source>CHAIN BROKEN at entry {entry}:</source>
        <translation>KETTE GEBROCHEN bei Eintrag {entry}:</translation>
    </message>
    <message>
        <source>Hash of the last intact link:</source>
        <translation>Hash des letzten intakten Glieds:</translation>
    </message>
    <message>
        <source>Anchor, to check later that nothing before it was rewritten or cut:</source>
        <translation>Anker, um später zu prüfen, dass davor nichts umgeschrieben oder abgeschnitten wurde:</translation>
    </message>
    <message>
        <source>{count} audit entries recorded in the period about the work orders of this pack.</source>
        <translation>{count} Protokolleinträge im Zeitraum zu den Aufträgen dieses Pakets.</translation>
    </message>
    <message>
        <source>{count} audit entries recorded in the period.</source>
        <translation>{count} Protokolleinträge im Zeitraum.</translation>
    </message>
    <message>
        <source>Each hash covers the entry and the hash of the entry before it.</source>
        <translation>Jeder Hash deckt den Eintrag und den Hash des vorigen Eintrags ab.</translation>
    </message>
    <message>
        <source>To check an entry by hand: hash = SHA-256 of the previous hash, a line break, and the canonical JSON (keys sorted, no spaces) of seq, at (as printed, UTC), user_id, username, action, entity_type, entity_id, before and after as printed.</source>
        <translation>Prüfung eines Eintrags von Hand: Hash = SHA-256 aus dem vorigen Hash, einem Zeilenumbruch und dem kanonischen JSON (Schlüssel sortiert, ohne Leerzeichen) von seq, at (wie gedruckt, UTC), user_id, username, action, entity_type, entity_id, before und after wie gedruckt.</translation>
    </message>
    <message>
        <source>user id {id}</source>
        <translation>Benutzer-ID {id}</translation>
    </message>
    <message>
        <source>previous hash: {previous}</source>
        <translation>vorheriger Hash: {previous}</translation>
    </message>
    <message>
        <source>hash: {hash}</source>
        <translation>Hash: {hash}</translation>
    </message>
    <message>
        <source>Chain head at the end of this pack:</source>
        <translation>Kettenkopf am Ende dieses Pakets:</translation>
    </message>
    <message>
        <source>({count} entries). Check it against the database with {command}: it recomputes every link from the first and prints the final hash.</source>
        <translation>({count} Einträge). Gegen die Datenbank prüfen mit {command}: Es berechnet jedes Glied vom ersten an neu und gibt den letzten Hash aus.</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Auswirkung</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Mechanism</source>
        <translation>Mechanismus</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <source>Detection</source>
        <translation>Erkennung</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Tätigkeit</translation>
    </message>
    <message>
        <source>lead</source>
        <translation>Leitung</translation>
    </message>
    <message>
        <source>{time} by {name}</source>
        <translation>{time} von {name}</translation>
    </message>
    <message>
        <source>Asset path</source>
        <translation>Anlagenpfad</translation>
    </message>
    <message>
        <source>Assignees</source>
        <translation>Zugewiesen</translation>
    </message>
    <message>
        <source>No labour booked.</source>
        <translation>Keine Arbeitszeit gebucht.</translation>
    </message>
    <message>
        <source>No parts issued.</source>
        <translation>Keine Teile ausgegeben.</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Ausgegeben</translation>
    </message>
    <message>
        <source>(safety)</source>
        <translation>(Sicherheit)</translation>
    </message>
    <message>
        <source>unanswered</source>
        <translation>unbeantwortet</translation>
    </message>
    <message>
        <source>Checklist results</source>
        <translation>Checklistenergebnisse</translation>
    </message>
    <message>
        <source>Measured / entered</source>
        <translation>Gemessen / eingetragen</translation>
    </message>
    <message>
        <source>Answered, by</source>
        <translation>Beantwortet, von</translation>
    </message>
    <message>
        <source>still down</source>
        <translation>steht noch</translation>
    </message>
    <message>
        <source>unplanned</source>
        <translation>ungeplant</translation>
    </message>
    <message>
        <source>Start</source>
        <comment>time</comment>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>work completed</source>
        <translation>Arbeit abgeschlossen</translation>
    </message>
    <message>
        <source>reviewed and closed</source>
        <translation>geprüft und geschlossen</translation>
    </message>
    <message>
        <source>Sign-offs</source>
        <translation>Abzeichnungen</translation>
    </message>
    <message>
        <source>Not signed off.</source>
        <translation>Nicht abgezeichnet.</translation>
    </message>
    <message>
        <source>Sign-off</source>
        <translation>Abzeichnung</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>Hinzugefügt von</translation>
    </message>
    <message>
        <source>No files attached.</source>
        <translation>Keine Dateien angehängt.</translation>
    </message>
    <message>
        <source>whole site</source>
        <translation>ganzes Werk</translation>
    </message>
    <message>
        <source>{code} — {name} and everything below it</source>
        <translation>{code} — {name} und alles darunter</translation>
    </message>
    <message>
        <source>all types</source>
        <translation>alle Arten</translation>
    </message>
    <message>
        <source>BROKEN at entry {entry}</source>
        <translation>GEBROCHEN bei Eintrag {entry}</translation>
    </message>
    <message>
        <source>{start} to {end} {zone} (end excluded)</source>
        <translation>{start} bis {end} {zone} (Ende ausgeschlossen)</translation>
    </message>
    <message>
        <source>{chain}; {count} entries</source>
        <translation>{chain}; {count} Einträge</translation>
    </message>
    <message>
        <source>Work-order types</source>
        <translation>Auftragsarten</translation>
    </message>
    <message>
        <source>Work orders in this pack</source>
        <translation>Aufträge in diesem Paket</translation>
    </message>
    <message>
        <source>Open at the end of the period</source>
        <translation>Offen am Ende des Zeitraums</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Änderungsprotokoll</translation>
    </message>
    <message>
        <source>Generated by</source>
        <translation>Erstellt von</translation>
    </message>
    <message>
        <source>Generated at</source>
        <translation>Erstellt am</translation>
    </message>
    <message>
        <source>Maintenance compliance audit pack</source>
        <translation>Auditpaket Instandhaltung</translation>
    </message>
    <message>
        <source>Every record in this pack is printed from the work orders as stored; the audit-trail section closes with the hash-chain verification of the whole trail.</source>
        <translation>Jeder Nachweis in diesem Paket ist aus den gespeicherten Aufträgen gedruckt; der Abschnitt Änderungsprotokoll schließt mit der Prüfung der Hash-Kette des ganzen Protokolls.</translation>
    </message>
    <message>
        <source>Work orders in the pack</source>
        <translation>Aufträge im Paket</translation>
    </message>
    <message>
        <source>Raised in the period</source>
        <translation>Im Zeitraum angelegt</translation>
    </message>
    <message>
        <source>Completed in the period</source>
        <translation>Im Zeitraum abgeschlossen</translation>
    </message>
    <message>
        <source>Closed in the period</source>
        <translation>Im Zeitraum geschlossen</translation>
    </message>
    <message>
        <source>Cancelled in the period</source>
        <translation>Im Zeitraum storniert</translation>
    </message>
    <message>
        <source>Failure repairs completed</source>
        <translation>Abgeschlossene Störungsbehebungen</translation>
    </message>
    <message>
        <source>MTTR (SMRP 3.5.2, failures completed in the period)</source>
        <translation>MTTR (SMRP 3.5.2, im Zeitraum abgeschlossene Störungen)</translation>
    </message>
    <message>
        <source>Labour booked in the period</source>
        <translation>Im Zeitraum gebuchte Arbeitszeit</translation>
    </message>
    <message>
        <source>Downtime in the period</source>
        <translation>Stillstand im Zeitraum</translation>
    </message>
    <message>
        <source>Checklist items failed</source>
        <translation>Nicht bestandene Checklistenpunkte</translation>
    </message>
    <message>
        <source>Overdue at the end of the period</source>
        <translation>Überfällig am Ende des Zeitraums</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <source>Work orders by type</source>
        <translation>Aufträge nach Art</translation>
    </message>
    <message>
        <source>Completed per month (last 12 in the period)</source>
        <translation>Abgeschlossen je Monat (letzte 12 im Zeitraum)</translation>
    </message>
    <message>
        <source>nothing in the period</source>
        <translation>nichts im Zeitraum</translation>
    </message>
    <message>
        <source>Failure modes of the repairs completed (Pareto)</source>
        <translation>Ausfallarten der abgeschlossenen Reparaturen (Pareto)</translation>
    </message>
    <message>
        <source>Failure mode</source>
        <translation>Ausfallart</translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation>Erkannt durch</translation>
    </message>
    <message>
        <source>Work-order sheets</source>
        <translation>Auftragsblätter</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Seite {page} von {pages}</translation>
    </message>
    <message>
        <source>Printed {time} by Wrenchbook</source>
        <translation>Gedruckt {time} von Wrenchbook</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>Anweisungen</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Checkliste</translation>
    </message>
    <message>
        <source>Parts to draw</source>
        <translation>Zu entnehmende Teile</translation>
    </message>
    <message>
        <source>Failure codes and downtime</source>
        <translation>Fehlercodes und Stillstand</translation>
    </message>
    <message>
        <source>Work done / remarks</source>
        <translation>Ausgeführte Arbeit / Bemerkungen</translation>
    </message>
    <message>
        <source>priority {number} ({name})</source>
        <translation>Priorität {number} ({name})</translation>
    </message>
    <message>
        <source>status {status}</source>
        <translation>Status {status}</translation>
    </message>
    <message>
        <source>Requested {time}</source>
        <translation>Angefordert {time}</translation>
    </message>
    <message>
        <source>Due {time}</source>
        <translation>Fällig {time}</translation>
    </message>
    <message>
        <source>Scheduled {time}</source>
        <translation>Geplant {time}</translation>
    </message>
    <message>
        <source>Site: {site}</source>
        <translation>Werk: {site}</translation>
    </message>
    <message>
        <source>criticality {level}</source>
        <translation>Kritikalität {level}</translation>
    </message>
    <message>
        <source>s/n {serial}</source>
        <translation>S/N {serial}</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>⚠  SAFETY / LOCK-OUT — TAG-OUT</source>
        <translation>⚠  SICHERHEIT / FREISCHALTEN — KENNZEICHNEN</translation>
    </message>
    <message>
        <source>No lock-out steps were recorded on this order.</source>
        <translation>An diesem Auftrag wurden keine Freischaltschritte erfasst.</translation>
    </message>
    <message>
        <source>{box} Lock-out needed   {box} Not needed (reason: ____________________)</source>
        <translation>{box} Freischalten nötig   {box} Nicht nötig (Grund: ____________________)</translation>
    </message>
    <message>
        <source>Isolation points: ______________________________  Lock / tag no.: __________   {box} Zero energy verified</source>
        <translation>Trennstellen: ______________________________  Schloss-/Schild-Nr.: __________   {box} Energiefreiheit geprüft</translation>
    </message>
    <message>
        <source>Locked by: ________________________  Time: ________      Released by: ________________________  Time: ________</source>
        <translation>Gesperrt von: ______________________  Uhrzeit: ________      Freigegeben von: ______________________  Uhrzeit: ________</translation>
    </message>
    <message>
        <source>name ________________ time ________</source>
        <translation>Name ________________ Uhrzeit ________</translation>
    </message>
    <message>
        <source>{tag} must read ≤ {limit}</source>
        <translation>{tag} muss ≤ {limit} zeigen</translation>
    </message>
    <message>
        <source>{source} — {device} at {point}</source>
        <translation>{source} — {device} an {point}</translation>
    </message>
    <message>
        <source>name ________________ time ______</source>
        <translation>Name ________________ Uhrzeit ______</translation>
    </message>
    <message>
        <source>(read {value})</source>
        <translation>(gemessen {value})</translation>
    </message>
    <message>
        <source>verified by {name} {time}</source>
        <translation>geprüft von {name} {time}</translation>
    </message>
    <message>
        <source>zero energy verified: name ________________ time ______</source>
        <translation>Energiefreiheit geprüft: Name ________________ Uhrzeit ______</translation>
    </message>
    <message>
        <source>⚠ SAFETY ALARM: {tag} read {value} at {time} while locked out</source>
        <translation>⚠ SICHERHEITSALARM: {tag} zeigte {value} um {time} trotz Sperre</translation>
    </message>
    <message>
        <source>Lock no. {lock}   Locked by {locked}   {verified}</source>
        <translation>Schloss-Nr. {lock}   Gesperrt von {locked}   {verified}</translation>
    </message>
    <message>
        <source>Released by {released}</source>
        <translation>Freigegeben von {released}</translation>
    </message>
    <message>
        <source>No instructions written.</source>
        <translation>Keine Anweisungen geschrieben.</translation>
    </message>
    <message>
        <source>Crew: {crew}   ·   Estimate: {estimate}</source>
        <translation>Team: {crew}   ·   Schätzung: {estimate}</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>(recorded: {answer})</source>
        <translation>(erfasst: {answer})</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfpunkt</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>(optional)</translation>
    </message>
    <message>
        <source>sign: ______________________</source>
        <translation>Unterschrift: ______________________</translation>
    </message>
    <message>
        <source>Drawn</source>
        <translation>Entn.</translation>
    </message>
    <message>
        <source>No parts reserved: write down any part used.</source>
        <translation>Keine Teile reserviert: verwendete Teile bitte eintragen.</translation>
    </message>
    <message>
        <source>Spare parts of this asset:</source>
        <translation>Ersatzteile dieser Anlage:</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>booked</source>
        <translation>gebucht</translation>
    </message>
    <message>
        <source>required to complete this order</source>
        <translation>zum Abschließen dieses Auftrags nötig</translation>
    </message>
    <message>
        <source>if a fault was found</source>
        <translation>falls ein Fehler gefunden wurde</translation>
    </message>
    <message>
        <source>Failure modes ({note}): {modes}</source>
        <translation>Ausfallarten ({note}): {modes}</translation>
    </message>
    <message>
        <source>{box} Asset was down   from ____________ to ____________   {box} planned   {box} unplanned</source>
        <translation>{box} Anlage stand still   von ____________ bis ____________   {box} geplant   {box} ungeplant</translation>
    </message>
    <message>
        <source>Work done by: name, signature</source>
        <translation>Ausgeführt von: Name, Unterschrift</translation>
    </message>
    <message>
        <source>Date / time</source>
        <translation>Datum / Uhrzeit</translation>
    </message>
    <message>
        <source>Reviewed by supervisor: name, signature</source>
        <translation>Geprüft vom Meister: Name, Unterschrift</translation>
    </message>
    <message>
        <source>WORK-ORDER RECORD — completed, awaiting review</source>
        <translation>AUFTRAGSNACHWEIS — abgeschlossen, Prüfung ausstehend</translation>
    </message>
    <message>
        <source>WORK-ORDER RECORD — closed</source>
        <translation>AUFTRAGSNACHWEIS — geschlossen</translation>
    </message>
    <message>
        <source>WORK-ORDER RECORD — cancelled</source>
        <translation>AUFTRAGSNACHWEIS — storniert</translation>
    </message>
    <message>
        <source>WORK ORDER</source>
        <translation>ARBEITSAUFTRAG</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>kein Grund angegeben</translation>
    </message>
    <message>
        <source>Reviewed and closed by supervisor: name, signature</source>
        <translation>Geprüft und geschlossen vom Meister: Name, Unterschrift</translation>
    </message>
    <message>
        <source>and</source>
        <translation>und</translation>
    </message>
    <message>
        <source>cannot {verb} {number}: {problems}</source>
        <translation>{number}: {verb} nicht möglich: {problems}</translation>
    </message>
    <message>
        <source>{what} was changed by {who} at {when} after you opened it; reload it and apply your changes again</source>
        <translation>{what} wurde von {who} am {when} geändert, nachdem Sie es geöffnet hatten; neu laden und Ihre Änderungen erneut anwenden</translation>
    </message>
    <message>
        <source>the monitoring process ended unexpectedly (exit code {code})</source>
        <translation>der Überwachungsprozess wurde unerwartet beendet (Exit-Code {code})</translation>
    </message>
</context>
</TS>
