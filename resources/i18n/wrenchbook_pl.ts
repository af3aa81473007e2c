<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name></name>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset</source>
        <translation>Urządzenie</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hysteresis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorytet</translation>
    </message>
    <message>
        <source>Unacknowledged only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge the selected alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open work order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the predictive work order the alarm raised (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay {REPLAY_DAYS} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the rule over the stored history: how many alarms and work orders it would have raised in the last {REPLAY_DAYS} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a rule and replay it to see what it would raise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each alarm the rule would have raised  →  when it cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarmy</translation>
    </message>
    <message>
        <source>Condition rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} alarms, {waiting} unacknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{verb} rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaying {name} over the last {REPLAY_DAYS} days…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: over the last {REPLAY_DAYS} days ({samples:,} samples) it would have raised {alarms} alarms and up to {work_orders} work orders. Times in UTC, raised → cleared:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay of {name} failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay of {name} failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the database {where} (from {source}).

{reason}

Check the database and that the server is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Ustawienia…</translation>
    </message>
    <message>
        <source>A — critical to production or safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B — important</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C — run to failure acceptable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed on labels and sheets; it cannot change later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— none (an area of the site) —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cl&amp;ass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pump, motor, conveyor…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;riticality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ma&amp;ker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M&amp;odel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;erial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locat&amp;ion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacement &amp;value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <source>New &amp;parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move {code} — {name} (a {level}) and everything below it. It sits under {parent} now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} and everything below it still have open work: {work}. Finish or cancel it first; retiring is refused until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} and everything below it will be decommissioned and their PM schedules paused. Their history stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retired {codes}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PM schedules paused: {codes}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scrapped, sold, replaced by …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Część</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Opis</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Uwaga</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Spare parts of {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add or change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>What one repair of this asset may need; PM kits start from this list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;ote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>where it goes, e.g. drive end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare part of {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the line to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not added: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not added: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added {filename}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the file to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a file to {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search assets by code or name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include sub-assets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New asset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new asset under the selected one (or a new area)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;request…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raise a work order on this asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print &amp;labels…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sheet of QR labels for this asset and everything below it; scanning one opens the asset here and starts a request at the shop-floor kiosk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name plate: name, class, criticality, maker…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hang it under another parent (or drag it in the tree)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;tire…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decommission it and everything below it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare &amp;parts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a repair of it may need</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manuals, drawings and photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an asset to see its work orders, costs and failures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the history of {code}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders:,} work order{value} — double-click or Enter opens one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history could not be loaded. {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tytuł</translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criticality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Maker / model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacement value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(with 1 sub-asset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(with {count} sub-assets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority: 1 emergency, 2 high, 3 medium, 4 low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Zgłoszone</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Zakończone</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Godziny</translation>
    </message>
    <message>
        <source>Labour hours booked on the work order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Koszt</translation>
    </message>
    <message>
        <source>Labour cost: Σ hours × the rate kept with each entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downtime hours of the work order (open periods until now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save asset labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print asset labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not printed: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No failure work orders completed in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failures by mode (count · downtime)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Execution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work-order board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total:,} work orders match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Otwórz</translation>
    </message>
    <message>
        <source>Print sheet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected: needs the PM schedules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing in this period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Odśwież</translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{start} to {last}, against the {value} days before · MTBF on {mtbf_basis} · computed in {seconds:.1f} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not compute: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{formula}

Click to list the {count:,} work orders behind it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to Wrenchbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;This database is empty.&lt;/b&gt;&lt;br&gt;{where}&lt;br&gt;&lt;br&gt;Load the demo bottling plant to look around with years of maintenance history, or start empty with your own administrator account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the demo plant (recommended for a first look)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start empty: create the administrator account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nazwa użytkownika</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please correct: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the demo plant… %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo plant is loaded and you are logged in as its planner. These are the demo accounts and their passwords. &lt;b&gt;They are shown only now&lt;/b&gt;: copy them before you close this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done: fix the entries marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloaded the version {changed_by} saved at {when}; your edits are kept on top. Check them and save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your edits were discarded; showing the version {changed_by} saved at {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search {plural}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New {singular}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Zapisz</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget what was typed and show the stored record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New {singular}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to save: no field was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fix the entries marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not work it out: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working it out…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value:,} of {total:,} {plural}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a {singular} on the left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, or make a new one ({value}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U&amp;p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do&amp;wn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part &lt;b&gt;{part}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. PO-2026-000012 (its price is used)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Unit cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purchase order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stock count, damaged, found …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change (+/−)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reorder qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Avg cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Movement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search part, description or category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At or below minimum only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receive…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adjust…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Movements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requisitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purchase orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{low_stock_count} part{plural} at or below minimum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the planned quantity (0 removes the part)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts cost {cost:,.2f}{state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook — log in</source>
        <translation>Wrenchbook — logowanie</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Zaloguj</translation>
    </message>
    <message>
        <source>Control room display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the read-only, full-screen display for a shared control-room screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Tablica</translation>
    </message>
    <message>
        <source>Work orders</source>
        <translation>Zlecenia</translation>
    </message>
    <message>
        <source>Assets</source>
        <translation>Urządzenia</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Magazyn</translation>
    </message>
    <message>
        <source>Preventive</source>
        <translation>Prewencja</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>Trendy</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Wskaźniki</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Raporty</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Konfiguracja</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>połączono</translation>
    </message>
    <message>
        <source>OPC UA: not configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA: starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved.{restart}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inventory  ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} parts at or below their minimum stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms  ({shown})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} alarms not acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database unreachable — retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{created} preventive work orders generated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications — outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map OPC UA tags to assets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse the server to list its variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map ticked tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browsing {value} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already mapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} numeric variables ({unmappable} arrays, structures or texts cannot be tags); {matched} matched to assets by their path, {value2} already mapped. Tick rows, fill in the asset where it is empty, then map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing ticked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick the tags to map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not mapped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Craft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technicians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Compliance audit pack&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one work-order type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the work orders…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save audit pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laying out the pages…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders:,} work orders on {pages:,} pages. Audit chain {chain}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not generated: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No report yet: choose a period and press Generate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of {page_count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save work-order sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print work-order sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan or type a no.</source>
        <translation>Zeskanuj lub wpisz nr</translation>
    </message>
    <message>
        <source>Scan a work-order sheet or an asset label, or type an order number (WO-2026-000123, wo-2026-123 or just 123) and press Enter (Ctrl+G)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook — workstation settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of this computer, kept in {value}. {RESTART_NOTE}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer only, one user (SQLite file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site server (PostgreSQL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One database shared by every workstation of the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On a local disk only: a file on a network share is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Single-user: whoever can open this file can change any record, roles included. The audit trail still shows a change; for several people, use the site server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server name or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your own database login, e.g. wb_tom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plant connection (OPC UA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opc.tcp://server:4840/path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: Wrenchbook&apos;s own, made on first use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Język</translation>
    </message>
    <message>
        <source>As Windows ({language})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control-room display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s per page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: every page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages in the order shown, separated by commas, from: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrenchbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The saved database URL cannot be read: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saved: type to replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite database file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite database (*.sqlite3 *.db);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates and keys (*.der *.pem *.crt *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup and restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a &amp;backup now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore from a backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A backup is one file holding every record, made while others keep working (SQLite&apos;s online copy, or one snapshot of the PostgreSQL server). Keep it off this computer.

Restoring puts a backup back: the file is checked first (integrity, audit chain, schema), then every table is replaced in one transaction, so a bad file changes nothing. What was entered after the backup is lost. Administrators only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making a backup to {target}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup written: {path} ({size} MiB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every record in this database will be replaced by the backup {source}. What was entered since that backup is lost for everybody. Type {CONFIRM_WORD} to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking and restoring {source}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored {rows} records from {name} (schema {revision}); every page shows the restored data now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook backups (*.wbk);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>site calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdowns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time &amp;zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set when the site was created; dates print in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Working days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mon-fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Shifts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holidays of &amp;country</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DE, PL, TR…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and &amp;region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BY, NW…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;shutdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>summer shutdown, works holiday…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No working days from the first to the last day: preventive work is planned around them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove shutdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklists</source>
        <translation>Listy kontrolne</translation>
    </message>
    <message>
        <source>checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checklists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset &amp;class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offered first for assets of this class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Safety checklist (lock-out/tag-out): every step must be answered before the work completes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the order the technician works; a measurement needs a unit and a low or high limit; a sign-off is a signature line on the sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retire…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is offered for no new order or PM schedule; orders that have it keep it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offer {code} again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendors</source>
        <translation>Dostawcy</translation>
    </message>
    <message>
        <source>vendor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vendors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lead time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lead time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days from order to delivery; requisitions plan with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ontact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} keeps its orders but is offered for no new part.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>Części</translation>
    </message>
    <message>
        <source>part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part &amp;number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each, m, l, kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vendor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;List cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The vendor&apos;s price; issues are charged at the moving average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used on (spare of)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set on the Assets page: Spare parts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discontinue…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} keeps its ledger; it is refused while stock is on hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stock {number} again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store rooms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unique across the site, so a bin code alone finds the shelf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Store room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Użytkownicy</translation>
    </message>
    <message>
        <source>PM schedules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meters and readings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fixed: on the calendar, whenever the last one was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>floating: counted from the last completion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move to the next working day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move to the previous working day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep the day, working or not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skip the new one while the last is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raise it anyway (stack)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PM schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first due date; fixed schedules keep this rhythm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave at — for a meter-only schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calendar &amp;mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter i&amp;nterval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. every 500 running hours; with a calendar interval, whichever comes first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many days before it is due the order is raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While &amp;open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chec&amp;klist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Es&amp;timate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;raft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts &amp;kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One part a line: part number, a space, the quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit from &amp;spare parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the kit of {code} to the spare-parts list of {asset_code}: {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;blackout…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>production campaign, audit week…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days on which {code} must not fall due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} generates no orders while paused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate orders for {code} again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>meters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rolls over at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value a counter wraps to 0 at, if any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Record reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The counter was reset or replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code}: last value {value} {unit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>threshold: beyond the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate of change: slope per minute beyond the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trend forecast: the limit will be crossed within the horizon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hysteresis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How far back past the limit the value must come before it clears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On-&amp;delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the value must stay beyond the limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The fit&apos;s window (rate of change and forecast)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hori&amp;zon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm when the forecast crossing is nearer than this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify after repair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes back in band before its predictive order may complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Enable…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay of {name} over the last {REPLAY_DAYS} days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} raises no alarm while disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viewer (control-room display)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deactivated {since}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked until {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>h/week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &amp;name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the person types to log in; it cannot change later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Craft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mechanical, electrical, instrumentation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hourly &amp;rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labour cost per hour, charged to the orders the person works on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours per &amp;week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capacity on the planning calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new users only; Reset password changes it later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat pass&amp;word</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 to 8 digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the PIN (no control-room sign-off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset pass&amp;word…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new password for {username}; tell it to them in person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set P&amp;IN…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The operator PIN {username} signs with at the control-room display and the kiosk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let {username} log in again now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} ({full_name}) will no longer be able to log in or sign with a PIN. Their work history stays. Deactivate?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let {username} log in again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>brak połączenia</translation>
    </message>
    <message>
        <source>Map tags…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse the OPC UA server and map its variables to assets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search number, title or asset  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type: any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority: any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: all but closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset: all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>Tylko przeterminowane</translation>
    </message>
    <message>
        <source>Show closed</source>
        <translation>Pokaż zamknięte</translation>
    </message>
    <message>
        <source>Assignee: anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technicians for {what}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick at least one technician.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Currently</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick everyone who works on the order. Technicians already booked on other planned work at the same time are named after assigning.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(lead)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody assigned yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booking clash:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A note added to the record; the only change a closed order accepts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a&amp;ddendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addenda</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} — {name} ({item_count} items{safety})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No checklist on this work order yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  &lt;i&gt;({value})&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what you found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} was changed by someone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{what} was changed by {changed_by} at {value}&lt;/b&gt; after you opened it, so your save was not made and nothing was overwritten.&lt;br&gt;&lt;br&gt;Your unsaved edits: {edited}.&lt;br&gt;&lt;br&gt;&lt;i&gt;Reload and keep my edits&lt;/i&gt; shows their version with your edits typed on top; check it and save again. &lt;i&gt;Discard my edits&lt;/i&gt; shows their version only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload and keep my edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard my edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 — Emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 — High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 — Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 — Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the asset is down (not able to run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was found and done</source>
        <translation>Co stwierdzono i zrobiono</translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please check your entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: fix the entries marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot {verb} {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} cannot {verb} yet. Still missing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New work order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the work order (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not created: fix the entries marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created {number}. Please check for a duplicate:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is now {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have changes that are not saved. Save them before closing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts as a failure (used for MTBF)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* needed before corrective, emergency and predictive work can be completed. Type any part of a code or its name to find it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} audited changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No audited changes: this record was loaded in bulk and not changed since.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {roles} may {verb} a work order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value}: move to {value2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hold reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type part of an asset code or name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what is wrong or what is to be done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left empty, the order is due after the priority&apos;s default time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the asset is down now (downtime starts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;ype</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;ue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Checklists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numer</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Zaplanowane</translation>
    </message>
    <message>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print sheets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total:,} work orders{behind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;labour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>Robocizna</translation>
    </message>
    <message>
        <source>planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reason code, e.g. breakdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;End open periods now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downtime</source>
        <translation>Przestój</translation>
    </message>
    <message>
        <source>Entries: {value}, {labour_hours:g} h, labour cost {cost:,.2f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labour hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sum of the hours booked on these work orders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labour cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Σ hours × the rate kept with each labour entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts issued to these work orders, less returns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downtime hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sum of the downtime periods (planned and unplanned); open periods count until now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTBF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMRP 3.5.1: operating hours ÷ failure work orders completed in the period. Operating hours: period hours × assets − downtime hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTTR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMRP 3.5.2 (2009): mean of restored − failed over the failure work orders completed, from the earliest unplanned downtime start (else requested) to the latest unplanned downtime end (else completed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure work orders completed in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meters and tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, read {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA tags ({count}):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No meters or OPC UA tags on {code}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no due date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preventive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>corrective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predictive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inspection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shutdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>equipment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>component</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decommissioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often the server samples it; the tag class's default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {0}: the sampling is a whole number of milliseconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling granted by the server now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changes only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its class's default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asks for sampling every {0} ms ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server granted {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not acknowledged yet (the control-room display asks for it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged by {0} with their {1} · {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the number on the padlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who (their own lock)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their password or PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify zero energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a step, then:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {0} applied by {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {0} verified by {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {0} removed by {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
