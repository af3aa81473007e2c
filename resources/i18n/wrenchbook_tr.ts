<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR">
<context>
    <name></name>
    <message>
        <source>cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset</source>
        <translation>Ekipman</translation>
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
        <source>{message} (not acknowledged yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slope {limit}/min over {window}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{limit} within {hours} h (fit over {window})</source>
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
        <translation>Öncelik</translation>
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
        <translation>Alarmlar</translation>
    </message>
    <message>
        <source>Condition rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} alarm, {waiting} unacknowledged</source>
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
        <source>{name}: over the last {REPLAY_DAYS} days ({samples} samples) it would have raised {alarms} alarms and up to {work_orders} work orders. Raised → cleared:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still active</source>
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
        <translation>Ayarlar…</translation>
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
        <translation>Kaydet</translation>
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
        <source>{code} now sits under {parent}.</source>
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
        <translation>Parça</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Açıklama</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Not</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ad</translation>
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
        <translation>Kapat</translation>
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
        <source>Removed {part}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tür</translation>
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
        <source>{orders} work order{value} — double-click or Enter opens one</source>
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
        <translation>Başlık</translation>
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
        <translation>Durum</translation>
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
        <translation>Talep edildi</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Tamamlandı</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Saat</translation>
    </message>
    <message>
        <source>Labour hours booked on the work order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Maliyet</translation>
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
        <source>not coded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} other modes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No failure work orders completed in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count}  ·  {hours} h down</source>
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
        <source>{count} work orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; the {shown} most urgent are shown, narrow the filters to see others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed work orders are hidden: tick Show closed to see them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work-order board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading… {what} follows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total} work orders match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opening {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moving {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Aç</translation>
    </message>
    <message>
        <source>Print sheet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>printing {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backlog over time (crew-weeks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTTR stages (mean hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PM compliance by month (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTBF by asset class (h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTTR by asset class (h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost Pareto by asset (own orders)</source>
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
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Yenile</translation>
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
        <source>{start} to {last}, against the {value} days before · MTBF on {mtbf_basis} · computed in {seconds} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not compute: {message}</source>
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
        <translation>Kullanıcı adı</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Parola</translation>
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
        <source>the two passwords differ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>full name is required</source>
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
        <translation>&amp;Kaydet</translation>
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
        <source>Created {key}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {key}.</source>
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
        <source>{value} of {total} {plural}</source>
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
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check (pass / fail)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measurement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign-off</source>
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
        <translation>Miktar</translation>
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
        <source>available {available} at or below minimum {minimum}</source>
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
        <source>The machine has stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Touch the reason first.</source>
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
        <source>; waiting for parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts cost {cost}{state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook — log in</source>
        <translation>Wrenchbook — giriş</translation>
    </message>
    <message>
        <source>You log in to the server as yourself, with your own password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Giriş yap</translation>
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
        <source>Sign in with Windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in as the Windows account signed in to this PC, where the site has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Pano</translation>
    </message>
    <message>
        <source>Work orders</source>
        <translation>İş emirleri</translation>
    </message>
    <message>
        <source>Assets</source>
        <translation>Ekipmanlar</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Depo</translation>
    </message>
    <message>
        <source>Preventive</source>
        <translation>Önleyici</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>Trendler</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Göstergeler</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Raporlar</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Ayarlar</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>bağlı</translation>
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
        <source>must be zero or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be more than 0 seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a whole number of milliseconds from {sampling_min_ms} to {sampling_max_ms}, or empty for the tag class&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be zero or more seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a discovery proposal ({exc})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown code {code}; use one of {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot {verb} {part}: only {available} of {wanted} available in bin {bin_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no technician assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only emergency work may skip approval and scheduling (this is {type})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no hold reason (parts, access, shutdown or other)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no labour logged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checklist item {pos} &quot;{text}&quot; unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no {name} code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure mechanism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{open_downtime_periods} downtime period(s) without an end time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asset was down but no downtime recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>isolation {position} ({energy_source} at {lock_point})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label} not locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label} locked but zero energy not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label} still locked: record its release first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{signer_name} already signed this order&apos;s safety sign-off; a second person must sign the other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} is not a meter reading: give the number on the counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a meter reading cannot be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the counter wraps at {rollover}: a reading must be below it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last reading is from {last_at} UTC: readings go in time order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} is below the last reading {last_value}: if the meter was replaced or reset, record it as a reset; otherwise correct the value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{delta} runtime hours in {elapsed} hours of clock time is not possible: check the value and the time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create work orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edit work orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log labour, checklists, downtime and attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assign technicians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the failure flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add addenda to closed work orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage assets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage checklist templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage PM schedules, meters and the site calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>generate preventive work orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>record meter readings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>issue parts to work orders and return them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>receive, adjust and transfer stock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage parts, vendors, bins and stock levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raise requisitions and purchase orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage OPC UA tags and condition rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledge alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restore the database from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raise a breakdown request with an operator PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} ({role}) may not {action}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} ({role}) may not {what} ({allowed})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no allowed due date after {nominal}: check the blackouts and the calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signal {tag_name} not yet back in band for {minutes} min after the repair ({reason})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text}: write a shift as HH:MM-HH:MM, e.g. 06:00-14:00</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text}: a shift needs a length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no working day within a year of {day}: check the site calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{part}: use mon, tue, wed, thu, fri, sat, sun or ranges mon-fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{part}: a range runs forward, e.g. mon-fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name at least one working day, e.g. mon-fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this connection has no certificate folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint}, {count} tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server connection lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{product}, state {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected. {server}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write it as opc.tcp://host:port/path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave the login out of the endpoint: give the user name as the OPC UA user and the password in WRENCHBOOK_OPC_PASSWORD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signing needs a certificate folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give both a user name and a password, or neither</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a user name and password are not sent over security mode None: set the OPC UA security to sign_and_encrypt (Settings › Plant), or leave the login out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give both the client certificate and its key, or neither</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings › Plant, or --security / --opc-user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the pki/own folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to {endpoint}: connection refused, no OPC UA server listens there; start the server or correct the endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to {endpoint}: the host name is not known; correct the endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from {endpoint} within {seconds} s; check that the server runs and that no firewall blocks the port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} offers no endpoint with OPC UA security {security}; choose a security the server offers ({settings})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} closed the connection during the handshake; check the server&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect to {endpoint}: {reason}; check the network and the endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA failure at {endpoint}: {reason}; check the server&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} refused the login {username} ({code}); check the OPC UA user name and password ({settings})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} refused anonymous logins ({code}); give an OPC UA user name and password ({settings})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} refused OPC UA security {security} ({code}); choose a security the server offers ({settings})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} did not answer in time ({code}); check that the server runs and keeps up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} refused the request ({code}); check the server&apos;s log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} refused this workstation&apos;s certificate ({code}); trust {certificate} on the server, then connect again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{endpoint} refused this workstation&apos;s certificate; trust {certificate} on the server, then connect again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plant server does not know the namespace {namespace}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{node} reads with bad quality ({code})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{node} gives no number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from the plant within {seconds} s; zero energy not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read {node} from the plant: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server certificate {thumbprint} is not trusted: it was saved to {saved_to}; trust it (move it into trusted/ or use `plant trust`) and connect again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot use the client certificate {path}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the client certificate {path} names no application URI (subject alternative name URI): OPC UA servers refuse it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the private key {path} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no rejected certificate {thumbprint} in {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changes only, queue {queue}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every {interval} ms, queue {queue}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tag}: the server revised sampling to changes only (asked {asked} ms); values that do not change are not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tag}: the server samples every {interval} ms, not the {asked} ms asked: fewer values than asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tag}: the server queues {queue} values, not the {asked} asked: values between two publishes may be lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server sampling: {parts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: {warning}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} tag on changes only (queue {queue})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} tags on changes only (queue {queue})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} tag every {interval} ms (queue {queue})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} tags every {interval} ms (queue {queue})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tag}: {received} values in the last {seconds} s, where every {interval} ms implies about {expected}, and it reads {now} now against {last} last sent: the server sends fewer values than asked (changes only?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fewer values than asked from {tags} and {more} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fewer values than asked from {tags}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{target} exists already: choose a new file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database is at schema revision {revision}, this Wrenchbook expects {head_revision}: open it with this version once to upgrade it, then back it up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected. The database is empty: the next start creates it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected. Schema up to date (revision {revision}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected. Schema revision {revision} is upgraded to {head_revision} at the next start (after a backup of a SQLite file).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected, but the schema (revision {revision}) is newer than this Wrenchbook ({head_revision}): update Wrenchbook on this workstation first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{problems}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder {parent} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file yet: the next start creates {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server reached. It asks everyone for their own login: each person logs in with their Wrenchbook user name and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot save the password in {store_name}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{raw} is not a plain number (e.g. 1234.5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{raw} is not a date (YYYY-MM-DD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required: one of {allowed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{raw} is not one of {allowed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>old Excel format (.xls): save it as .xlsx or CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a CSV or Excel (.xlsx) file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{size} bytes; at most {max_file_bytes} can be imported at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a folder, not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no permission to read it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot decode the text (tried {tried})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a text file: it holds NUL bytes (binary data, or UTF-16 text without its byte-order mark): save it from Excel as CSV UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a well-formed CSV file ({problem})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a readable Excel workbook: the file is damaged or not .xlsx ({problem})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the workbook unpacks to {size} MB, more than the {limit} MB an import reads: split it, or save as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a readable Excel workbook ({problem})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sheet {title} has {rows} rows × {columns} columns, more than an import reads ({xlsx_max_rows} rows, {xlsx_max_cells} cells): split it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data rows below the header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds data but has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>appears twice (columns {first} and {letter})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passwords do not belong in spreadsheets: remove the column; every new user gets a generated password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing required column(s) {missing} (found: {found})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cycle {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a relay login over an unencrypted connection would send the password in clear text: set security to starttls (port 587) or tls (465)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no password for the relay login {username}: save it with `notify relay password` or set {smtp_password_env}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the relay {where} refused the login {username}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the relay {where} refused the address {to}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS with {where} failed ({reason}): check the relay&apos;s certificate and the security setting (starttls on 587, tls on 465)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot send through {where}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{email} is not a mail address (name@domain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the SMTP relay&apos;s host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port is 1-65535 (587 for STARTTLS, 465 for TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of {securities}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the From address, e.g. wrenchbook@plant.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no user {username}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database is not at this Wrenchbook&apos;s schema: open it first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} fails its audit check: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a restore replaces every table, so on the site server it needs the migrator login: run `restore --from FILE --yes --db postgresql+psycopg://MIGRATOR@HOST/DB`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this database has users: restoring over it needs an administrator (--user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no backup file {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} is not a Wrenchbook backup: it is not a SQLite database file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} is damaged: {problems}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} is not a Wrenchbook backup: it has no {missing} table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} is damaged: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} was made by another or a newer Wrenchbook (schema revision {made_at}); this one reads revisions up to {head_revision}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot upgrade {source} from schema revision {revision}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown user or wrong password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no Windows sign-on on this computer (no Kerberos ticket): log in to the domain (or run kinit), or log in with your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not offer Windows sign-on here: log in with your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows sign-on refused: the server does not let this Windows account log in as &apos;{name}&apos; (no such user, deactivated, or another person&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least {min_password_length} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>letters and at least one digit or symbol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no user name in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no spaces at the start or end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a common word with digits or symbols added (like Password1!)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shortest} to {longest} digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not one digit repeated or a run like 1234</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a repeated pattern like 1212 or a keypad line like 2580</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most 200 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between 0 and 80</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; only, not empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most 64 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs {rules}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} is locked after {failures} failed log-ins until {until}; wait, or ask an administrator to unlock the account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>users exist already; log in as an admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} is taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this database login is no person&apos;s own: no sign-on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last active administrator stays one; make another first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you cannot deactivate your own account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last active administrator cannot be deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active user {username}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the database URL: write e.g. sqlite:///C:/Wrenchbook/wrenchbook.sqlite3 or postgresql+psycopg://user@server/wrenchbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the SQLite file&apos;s path (an in-memory database keeps nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported database {drivername}: use SQLite or PostgreSQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>take the password out of the URL: the settings file is readable by anyone on this computer; the password goes into the password field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the PostgreSQL server&apos;s host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the name of the database on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write the OPC UA endpoint as opc.tcp://host:port/path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA security must be one of {security_modes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA security policy must be one of {policies}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give both the client certificate and its private key, or neither</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the {label} file {path} does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs a time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no asset {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write to {value}: {strerror}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} has more rows than an Excel sheet holds ({value}): export CSV files instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no export format for {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the period as aware (UTC) times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the period must be at least one day long (--to after --from)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this period and the one before it must lie between {earliest} and {latest}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to {max_buckets}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no asset {area}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no asset file {attachment_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than 0 and at most {max_quantity}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose a part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is not on the spare-parts list of {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no part {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-64 characters without spaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required (e.g. pump, motor, conveyor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{level} needs a parent asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no asset {parent_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{level} cannot sit under {parent_level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the site is set up by an admin once users exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no site yet: run `init` first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>use Retire: it checks the open work first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{parent_code} is {asset_code} itself or below it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>say why (sold, scrapped, replaced by ...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finish or cancel its open work first: {orders}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its sub-assets include a {below}; it must stay above that level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most 120 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value the counter wraps at, more than 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no asset {asset_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a meter {code} exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the time needs a time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the time is in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no meter {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no meter {meter_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the shifts add up to more than 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs a country</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must not be before the first day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required (e.g. summer shutdown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no shutdown {name} from {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set up the site first (wrenchbook init)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no rule {rule_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no alarm {alarm_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in the proposal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept its parent {parent_code} too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept its asset {asset_code} too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required (the namespace URI, not its index)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write it as i=…, s=…, g=… or b=… without ns=</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} appears twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tag {tag_name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be zero (no check) or more minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a rule named {name} exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing column(s) {missing}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of {kinds}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a whole number of milliseconds, or empty for the tag class&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give your name (2 to 100 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this kiosk&apos;s account {kiosk_account} does not exist or is inactive: an administrator creates it (a viewer) or sets kiosk/account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alarm {id} is on another asset than {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-32 characters without spaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a checklist needs at least one item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs a text of at most 300 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is a measurement: give its unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is a measurement: give a low or high limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;{text}&quot;: the low limit is above the high limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;{text}&quot;: only measurements have a unit and limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a code appears twice in the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a checklist {code} exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no checklist template {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write the number of the lock you hung</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock it before verifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag {name} proves zero energy but the plant connection is not available: connect to the plant and verify again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} reads {reading} (zero is at most {zero_max}): the machine is energised; verification refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no lock on it to remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no safety alarm on {number} isolation {position}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already {acknowledgement}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username}: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}&apos;s asset has no isolation point {position}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no work order {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown stop reason {reason}; one of {codes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no machine stop {period_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop {period_id} is not a stop of {number}&apos;s asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the mail server&apos;s host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port is 1-65535 (993 for TLS, 143 for STARTTLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of tls, starttls, none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the mailbox&apos;s login name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unencrypted mailbox login would send the password in clear text: set security to tls (port 993) or starttls (143)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no asset {default_asset}: give the code of the asset that mails naming none are filed under</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>larger than 30 MiB; ask the sender to link files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the mail names no asset code and no default asset is set: notify mailbox set default_asset=CODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no mailbox set: notify mailbox set host=… port=993 security=tls username=… default_asset=CODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no password for the mailbox login {username}: save it in the credential store as &apos;{imap_service}&apos; or set {imap_password_env}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the mailbox has no folder {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the mail server {where} refused: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS with {where} failed ({reason}): check the server&apos;s certificate and the security setting (tls on 993, starttls on 143)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reach the mail server {where}: {exc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most 20,000 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the incoming shift has acknowledged this handover: add to the next one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label} was acknowledged already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the incoming shift acknowledges: not who wrote the notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no shift handover {handover_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>possible duplicate: open {type} work order {number} &quot;{title}&quot; ({status}) on {asset_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most {max_title} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be more than 0 and at most 10000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a code (text) or empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be yes or no (true/false)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required, at most {max_title} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 (emergency) to 4 (low)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number of hours, more than 0 and at most 10000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs a date and time with a time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be after the scheduled start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{lead} is not among the assignees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active user {missing}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{not_crew} cannot do work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} is already booked on {other} at that time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its alarm or repair start kept changing while the signal was read; try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move to {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is {status}, which can move to {allowed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot {verb} {number}: {username} is a {role}; needs {roles}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{username} may only log their own hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than 0 and at most 24 per entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot be in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active technician {technician}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>start and end need a time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be after the start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be after the start {start}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} has no checklist item {position}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a safety sign-off needs the signer&apos;s own password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no work order {missing}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of {sort_columns}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is {status} and read-only; add an addendum instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active checklist template {missing}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>craft or technician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is not an order of a PM schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day} is not a working day ({why})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{day} is in a blackout of {code}{label}: {first}–{last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required, at most 200 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give both the number and the unit (e.g. 3 months)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every 1 to 1000 days, weeks, months or years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give both the meter and the interval (e.g. every 500 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the meter interval must be a number more than 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give a calendar interval, a meter interval, or both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 to {max_lead_days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than 0 and at most 10000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every kit line needs a part number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a part number appears twice; give it once with the total quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quantities must be numbers more than 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a blackout ends before it starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a schedule {code} exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ends before it starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no PM schedule {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active checklist template {checklist_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no active technician of the craft {craft}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file needs a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}… has a name longer than 255 characters; shorten it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is {value} MiB, larger than {mib} MiB; shrink or split it, or put it on the file server and note its path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is {label}; attach {accepted}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is {label} by its content, not {suffix}; rename it {expected}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}: {shown} not accepted; it is {label}, so name it {expected}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read {name}: {strerror}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{text} is not an anchor: write SEQ:HASH as verify-audit printed it (e.g. 120:3fa9…, 64 hex digits), or row:SEQ:HASH for the row log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the anchor {anchor} names an entry that is gone: entries from {seq} on were removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry {seq} no longer has the anchor&apos;s hash: the chain up to it was rewritten and recomputed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row change {number} is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its link to the previous row change was altered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its content was altered ({operation} {table_name} {row_key} by {db_user}, {at} UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only an intact chain is a checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-{limit} characters without spaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be more than 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} exists already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no vendor {vendor_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stock of {part_number} in {bin_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only {used} of {part_number} were issued to {wo_number}; cannot return {quantity}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the unit cost, or the purchase order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number, not negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required (e.g. stock count, damaged, found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number, at least {smallest} up or down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must differ from the bin moved out of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is {status}: its parts list is final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{part}: {missing} missing and no vendor set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>was to start on {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starts within a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starts in {days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{part}: {missing} missing; {name} needs {lead_time_days} days but {number} {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no part {part}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 to 365 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required, at most 16 characters (e.g. each, m, l, kg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be at least the minimum (or 0 to use the reorder quantity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number, at least {smallest}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is not approved yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is {status}: no more parts can be booked on it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no bin {bin_code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no purchase order {po_number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{po_number} is {status}; only sent orders are received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{po_number} has no line {line_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is not on {where} of {po_number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only {outstanding} of {quantity} still to receive on {po_number} line {line_no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{on_hand} {unit} still on hand; issue or adjust first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no store room {store_room}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no {what} {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a number more than 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{part_number} already has open requisition {open_line}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no requisition {requisition_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{requisition_id} is {status}; only open ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not open for {vendor_code}: {missing}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{po_number} is {status}; only drafts change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{po_number} is {status}, which can move to {allowed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{po_number} has no lines to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no bin {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the database URL {url}: write e.g. sqlite:////path/wrenchbook.sqlite3 or postgresql+psycopg://user:password@host/dbname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in-memory SQLite is not supported: give a file path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported database {drivername}: use sqlite or postgresql+psycopg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect_timeout {given} is not a whole number of seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect_timeout must be at least 1 second, not {seconds}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text must not contain NUL characters (\x00): remove them and save again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database cannot store a value as given ({reason}): correct it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>integers beyond 64 bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite&apos;s file locking is unreliable over SMB/NFS network shares and the database file can be corrupted when several computers use it. Keep the SQLite file on a local disk of this computer, or connect every workstation to the site&apos;s PostgreSQL server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path} is on a network share (a UNC path). {advice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path} is on the mapped network drive {drive}:. {advice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{path} is on the {fs_type} network mount {point} ({source}). {advice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>naive datetime {value}: pass an aware datetime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Restart Wrenchbook to use the new database or OPC UA server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved.{restart}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the dashboard figure</source>
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
        <source>Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot browse {endpoint}: {error}</source>
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
        <source>How often the server samples it; the tag class&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} numeric variables ({unmappable} arrays, structures or texts cannot be tags); {matched} matched to assets by their path, {value2} already mapped. Tick rows, fill in the asset where it is empty, then map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row {0}: the sampling is a whole number of milliseconds.</source>
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
        <source>forecast (meter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forecast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Technicians</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no craft)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{planned} of {capacity} h planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By craft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By technician</source>
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
        <translation>İptal</translation>
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
        <source>intact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BROKEN — see the audit-trail section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders} work orders on {pages} pages. Audit chain {chain}.</source>
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
        <translation>No. okut veya yaz</translation>
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
        <source>OPC UA server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook — control room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook · Control room</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data of {at}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged by {user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{asset} stop coded: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why did it stop?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shift} handed over to {user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take over the shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot prepare the request: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarm: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goes to the approval queue as {type} work, priority {priority}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{order} sent for approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send request</source>
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
        <source>Built-in simulator (with the demo plant)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database and OPC UA changes take effect when Wrenchbook is next started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <comment>OPC UA security</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp; encrypt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: everyone logs in as themselves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave User empty: each person&apos;s Wrenchbook name and password are their own database login, and no database password is kept on this computer. Name a user only for the control-room display&apos;s or the monitoring service&apos;s login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credential store on this computer, so the password is not saved: give it in PGPASSWORD or in PostgreSQL&apos;s password file (%APPDATA%\postgresql\pgpass.conf on Windows, ~/.pgpass elsewhere).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credential store on this computer, so the password is not saved: give it in the {variable} environment variable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling granted by the server now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Dil</translation>
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
        <source>Kept in {store}, never in the settings file.</source>
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
        <source>Type the OPC UA password of {user}.</source>
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
        <source>type {word} to replace everything</source>
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
        <source>Working calendar of {site} ({zone})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown {name} from {first} to {last} added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shutdown {name} removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklists</source>
        <translation>Kontrol listeleri</translation>
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
        <source>step {step}: the {which} limit must be a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step {number}: {problem}</source>
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
        <source>lock-out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retired</source>
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
        <source>S&amp;teps</source>
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
        <source>safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is offered again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is retired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vendors</source>
        <translation>Tedarikçiler</translation>
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
        <source>inactive</source>
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
        <source>{code} is inactive now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>Parçalar</translation>
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
        <source>discontinued</source>
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
        <source>{number} is stocked now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} is discontinued now.</source>
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
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bins: {bins}</source>
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
        <source>Bin {code} in {store_room}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Kullanıcılar</translation>
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
        <source>line {number}: write the part number, a space and the quantity</source>
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
        <source>paused</source>
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
        <source>it has none</source>
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
        <source>open: {order}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview yet: {problems}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview yet: give a calendar interval, a meter interval, or both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next due: not known yet; the meter needs a few readings to forecast from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (due {date})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> by meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next due dates: {dates}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{asset} has no spare-parts list yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The kit of {code} is now: {kit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} will not fall due from {first} to {last}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is active now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is paused now.</source>
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
        <source>{code} — {name} on {asset}: {total} {unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a meter does not change once made; make a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code}: {value} {unit} read, total {total}.</source>
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
        <source>no stored samples of its tag yet, so nothing to replay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{alarms} alarms and at most {orders} predictive orders over {samples} samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rule} — {tag} on {asset}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is enabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is disabled.</source>
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
        <source>does not match</source>
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
        <source>New password set for {user}; the lock-out, if any, is lifted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} has no PIN now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New PIN set for {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} may log in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} is active again and may log in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} is deactivated and can no longer log in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Still assigned to open work, re-plan it: {orders}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>bağlı değil</translation>
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
        <source>changes only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its class&apos;s default</source>
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
        <translation>Yalnızca gecikenler</translation>
    </message>
    <message>
        <source>Show closed</source>
        <translation>Kapananları göster</translation>
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
        <source>SHA-256</source>
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
        <source>PDF, PNG, JPEG, GIF, WEBP, text/CSV or Excel/Word (.xlsx, .docx) files, up to {size} MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
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
        <source>Pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N/A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <comment>checklist answer</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, safety</source>
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
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
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
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  &lt;i&gt;({value})&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signed by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recorded</source>
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
        <source>Origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when} by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>= previous period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> pts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> wk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{arrow} {amount} vs previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{formula}

Click to list the {count} work orders behind it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the asset is down (not able to run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was found and done</source>
        <translation>Ne bulundu ve ne yapıldı</translation>
    </message>
    <message>
        <source>Planned &amp;start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned e&amp;nd</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation type="unfinished"></translation>
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
        <source>&amp;1 Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;2 Assignment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;3 Checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;4 Labour &amp;&amp; downtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;5 Failure codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;6 History &amp;&amp; audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;7 Attachments &amp;&amp; addenda</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;8 Parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;9 Lock-out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — read-only, addenda only</source>
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
        <source>&amp;Impact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure &amp;mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Me&amp;chanism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Detection method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance ac&amp;tivity</source>
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
        <source>Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts as a failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file attached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checklist added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checklist answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downtime added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downtime ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour booked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>isolation verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parts reserved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parts released</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seq</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail (newest first)</source>
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
        <source>Cancel work order…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only {roles} may do this: {verb}</source>
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
        <source>choose the asset the work is for (type part of its code or name)</source>
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
        <translation>Numara</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Planlandı</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Availability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backlog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PM compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule compliance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reactive work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proactive work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Booked-time utilisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost / RAV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>derived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>derived (not wrench time, SMRP 5.6.1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean of (restored - failed) over failure orders completed in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>operating hours of the assets / failure orders completed in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(period - idle - downtime hours) / (period - idle hours) x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sum of max(estimate - labour logged, 0) of approved..on_hold orders / weekly crew capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open orders whose due time has passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PM orders due in the period done by due + grace / PM orders due x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>orders on a week&apos;s schedule completed that week / orders on the schedule x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour hours on orders scheduled with an estimate before start / all labour hours x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour hours on orders that broke into the week&apos;s schedule / all labour hours x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour hours on PM, PdM and inspection orders and on work raised by a PM schedule, a condition rule or an inspection finding / all labour hours x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour hours on emergency orders / all labour hours x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour hours logged by technicians / their available straight-time hours x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labour hours x rate + parts issued - parts returned + external cost, of orders completed in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>annualised maintenance cost / replacement asset value x 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running hours from tags for {tagged} of {assets} assets, calendar hours less downtime for the rest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>calendar hours less downtime (no running-hours tags)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from technician start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{failures} failures; {variant}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no failures in {hours} operating hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{assets} assets; {basis}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{assets} assets; planned and unplanned downtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders} PM orders due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders} orders on weekly schedules that have ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{booked} h booked of {available} h; {technicians} active technicians, site-wide, absences not recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders} orders completed; labour, parts issued (no external cost field)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>annualised; replacement value {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{orders} orders, {hours} h remaining; crew {crew} h/week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open orders past their due time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs the PM schedules (their intervals set the grace); not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of {hours} labour hours (by entry date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work order board</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress and on hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed in the last {days} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key figures, last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing the key figures…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no previous figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same as the 30 days before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{change} vs the 30 days before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue and emergency work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{overdue} overdue  ·  {emergency} emergency  (open orders)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing overdue, no open emergency work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} more not shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overdue {duration}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>due {at}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{days} days</source>
        <translation type="unfinished"></translation>
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
        <source> behind {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total} work orders{behind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved {done} of {total} to {status}</source>
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
        <translation>İşçilik</translation>
    </message>
    <message>
        <source>Start</source>
        <comment>column</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until</source>
        <translation type="unfinished"></translation>
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
        <translation>Duruş</translation>
    </message>
    <message>
        <source>Entries: {value}, {labour_hours} h, labour cost {cost}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enter when the asset went down</source>
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
        <source>planned + unplanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing recorded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in {hours} op. h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over {hours} op. h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no repairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed → restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since {day}</source>
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
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{type} on {asset}, priority {priority}, {status}, assigned: {crew}</source>
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
        <source>{days}d</source>
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
        <source>receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>issue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjustment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ordered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partly received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>breakdown report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pm schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>condition rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inspection finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>technician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>planner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asset back up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate of change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jam / blockage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No material</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changeover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleaning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unschedule</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put on hold</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <comment>lifecycle move</comment>
        <translation>Kapat</translation>
    </message>
    <message>
        <source>Reopen</source>
        <comment>lifecycle move</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <comment>lifecycle move</comment>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Energy source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device at lock point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proven by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zero energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (read {value})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still locked out at {point}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while it was locked out at {point}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SAFETY ALARM: {tag} read {reading} (zero is at most {zero}) at {at}, {where}</source>
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
        <source>{device} at {point}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {position} applied by {who}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {position} verified by {who}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {position} removed by {who}.</source>
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
        <source>Not done: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code the stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} unreachable since {at} — retrying by itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report breakdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} more waiting for acknowledgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALARM  ·  {asset}  ·  {at}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SAFETY  ·  RE-ENERGISED WHILE LOCKED OUT  ·  {asset}  ·  {order}  ·  {at}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tag} reads {reading} behind the lock at {point}: stop the work and check the isolation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EMERGENCY  ·  {order}  ·  {asset}  ·  {at}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ran again at {at}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why did it stop? Touch the reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A long stop of a critical machine with no work order: report it, or code it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STOPPED  ·  {asset}  ·  {at}  ·  {minutes} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{stops} stops ({minutes} min), {alarms} alarms, {emergencies} emergencies open, {on_hold} on hold for parts, {parts} parts drawn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes: {first}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHIFT HANDOVER  ·  {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The incoming shift acknowledges with a PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live trends and alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No OPC UA tags are mapped yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} more active alarms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active alarms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alarm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report breakdown: {asset}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrenchbook — report a problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the asset&apos;s label, or type its code or name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report a problem with a machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No asset matches “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong? (noise, leak, jam, what you saw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a photo or file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a photo or file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say what is wrong, or tick “The machine has stopped”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account? Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or as a guest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who reports it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give your user name and PIN, or your name as a guest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thank you. Request {order} is with the maintenance planners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report another problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log in to see the work orders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>were written to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>are in the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong: {kind}: {error}

Nothing you saved before this is lost. The details {where}; please send that file to your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot {verb} {number}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please correct:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting to reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server certificate not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (next try in {seconds} s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{short} (Trends: the tag list says what the server granted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPC UA: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test failed: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work-order register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work-order records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspection log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety checklist log (lock-out/tag-out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open and overdue work orders at the end of the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail for the period and chain verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated {time} by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift handover — {site}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift {start} – {end} ({zone}); drafted {drafted} from the records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machine stops ({count}, {minutes} min in the shift)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not coded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No machine stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alarms ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alarms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emergencies still open ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On hold for parts ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts drawn ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No parts drawn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes of the outgoing shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged by the incoming shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, {time} (with their PIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet acknowledged. Signature: ______________________  Time: ________</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift handover {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>page {page}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page {page} of </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No work orders in this period and scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P</source>
        <comment>priority, one letter</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hours</source>
        <comment>short column heading</comment>
        <translation>Saat</translation>
    </message>
    <message>
        <source>No inspection work orders in this period and scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acknowledged by {name} ({means}) {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT LOCKED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock {lock}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zero energy verified by {name} {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT VERIFIED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed by {name} {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STILL LOCKED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SAFETY ALARM: {tag} read {value} at {time} while locked out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNANSWERED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation {position}: {source} — {device} at {point}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lock-out/tag-out checklists on the work orders of this pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No work order was open at the end of the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} work orders were open at the end of the period, {overdue} of them overdue (status as it is now; late = days past due at the end).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain verified: intact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} entries recomputed from the first; final hash:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CHAIN BROKEN at entry {entry}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash of the last intact link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anchor, to check later that nothing before it was rewritten or cut:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} audit entries recorded in the period about the work orders of this pack.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} audit entries recorded in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each hash covers the entry and the hash of the entry before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To check an entry by hand: hash = SHA-256 of the previous hash, a line break, and the canonical JSON (keys sorted, no spaces) of seq, at (as printed, UTC), user_id, username, action, entity_type, entity_id, before and after as printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user id {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>previous hash: {previous}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash: {hash}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain head at the end of this pack:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>({count} entries). Check it against the database with {command}: it recomputes every link from the first and prints the final hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mechanism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asset path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No labour booked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No parts issued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(safety)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unanswered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured / entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered, by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unplanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <comment>time</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>work completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reviewed and closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-offs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No files attached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whole site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} — {name} and everything below it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BROKEN at entry {entry}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{start} to {end} {zone} (end excluded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{chain}; {count} entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work-order types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work orders in this pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open at the end of the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance compliance audit pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every record in this pack is printed from the work orders as stored; the audit-trail section closes with the hash-chain verification of the whole trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work orders in the pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raised in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure repairs completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MTTR (SMRP 3.5.2, failures completed in the period)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labour booked in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downtime in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist items failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue at the end of the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work orders by type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed per month (last 12 in the period)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure modes of the repairs completed (Pareto)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detected by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work-order sheets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed {time} by Wrenchbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parts to draw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure codes and downtime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work done / remarks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>priority {number} ({name})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduled {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site: {site}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>criticality {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s/n {serial}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠  SAFETY / LOCK-OUT — TAG-OUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lock-out steps were recorded on this order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{box} Lock-out needed   {box} Not needed (reason: ____________________)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Isolation points: ______________________________  Lock / tag no.: __________   {box} Zero energy verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked by: ________________________  Time: ________      Released by: ________________________  Time: ________</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name ________________ time ________</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{tag} must read ≤ {limit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{source} — {device} at {point}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name ________________ time ______</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(read {value})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verified by {name} {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zero energy verified: name ________________ time ______</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ SAFETY ALARM: {tag} read {value} at {time} while locked out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock no. {lock}   Locked by {locked}   {verified}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Released by {released}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No instructions written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crew: {crew}   ·   Estimate: {estimate}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(recorded: {answer})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign: ______________________</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No parts reserved: write down any part used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spare parts of this asset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>booked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required to complete this order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>if a fault was found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure modes ({note}): {modes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{box} Asset was down   from ____________ to ____________   {box} planned   {box} unplanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work done by: name, signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date / time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed by supervisor: name, signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WORK-ORDER RECORD — completed, awaiting review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WORK-ORDER RECORD — closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WORK-ORDER RECORD — cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WORK ORDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed and closed by supervisor: name, signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot {verb} {number}: {problems}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} was changed by {who} at {when} after you opened it; reload it and apply your changes again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the monitoring process ended unexpectedly (exit code {code})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
