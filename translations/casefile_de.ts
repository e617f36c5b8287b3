<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>HandoffSummary</name>
    <message>
        <source>whole output</source>
        <translation>ganze Ausgabe</translation>
    </message>
    <message>
        <source>lines %1–%2</source>
        <translation>Zeilen %1–%2</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <source>Evidence, %1 of</source>
        <translation>Beleg, %1 von</translation>
    </message>
    <message>
        <source>Ruled out</source>
        <translation>Ausgeschlossen</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <source>Still open</source>
        <translation>Noch offen</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>approved by %1 at %2</source>
        <translation>genehmigt von %1 um %2</translation>
    </message>
    <message>
        <source>denied by %1 — not run</source>
        <translation>abgelehnt von %1 – nicht ausgeführt</translation>
    </message>
    <message>
        <source>no answer in time — not run</source>
        <translation>keine Antwort rechtzeitig – nicht ausgeführt</translation>
    </message>
    <message>
        <source>no consent recorded</source>
        <translation>keine Zustimmung aufgezeichnet</translation>
    </message>
    <message>
        <source>; %1 (exit code %2)</source>
        <translation>; %1 (Exit-Code %2)</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>Letztes Ergebnis</translation>
    </message>
    <message>
        <source>%1, exit code %2, at %3</source>
        <translation>%1, Exit-Code %2, um %3</translation>
    </message>
    <message>
        <source>Nothing ruled out, confirmed or changed yet.</source>
        <translation>Noch nichts ausgeschlossen, bestätigt oder geändert.</translation>
    </message>
</context>
<context>
    <name>SnapshotExporter</name>
    <message>
        <source>The snapshot does not verify, so it is not exported: %1</source>
        <translation>Der Snapshot lässt sich nicht verifizieren und wird daher nicht exportiert: %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Export cancelled</source>
        <translation>Export abgebrochen</translation>
    </message>
    <message>
        <source>%1 — page %2 of %3</source>
        <translation>%1 — Seite %2 von %3</translation>
    </message>
</context>
<context>
    <name>casefile::ApprovalModel</name>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Zurückgezogen</translation>
    </message>
    <message>
        <source>waiting %1</source>
        <translation>wartet seit %1</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Angefordert</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>Entschieden von</translation>
    </message>
    <message>
        <source>Decided at</source>
        <translation>Entschieden am</translation>
    </message>
    <message>
        <source>Requested %1</source>
        <translation>Angefordert %1</translation>
    </message>
    <message>
        <source>Decided %1 by %2</source>
        <translation>Entschieden %1 von %2</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Grund: %1</translation>
    </message>
</context>
<context>
    <name>casefile::ApprovalsPane</name>
    <message>
        <source>Approvals</source>
        <translation>Freigaben</translation>
    </message>
    <message>
        <source>The exact prompt shown to the end user</source>
        <translation>Die genaue Abfrage, die dem Endbenutzer angezeigt wird</translation>
    </message>
    <message>
        <source>Prompt shown to the end user</source>
        <translation>Dem Endbenutzer angezeigte Abfrage</translation>
    </message>
    <message>
        <source>Pending approvals</source>
        <translation>Ausstehende Freigaben</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) waiting for the end user</source>
        <translation>
            <numerusform>%n Anfrage wartet auf den Endbenutzer</numerusform>
            <numerusform>%n Anfragen warten auf den Endbenutzer</numerusform>
        </translation>
    </message>
    <message>
        <source>No request waiting</source>
        <translation>Keine wartende Anfrage</translation>
    </message>
</context>
<context>
    <name>casefile::ChatModel</name>
    <message>
        <source>End user</source>
        <translation>Endbenutzer</translation>
    </message>
    <message>
        <source>End user at %1</source>
        <translation>Endbenutzer an %1</translation>
    </message>
    <message>
        <source>[%1] %2: %3</source>
        <translation>[%1] %2: %3</translation>
    </message>
</context>
<context>
    <name>casefile::ChatPane</name>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Chat messages</source>
        <translation>Chatnachrichten</translation>
    </message>
    <message>
        <source>Message to the end user</source>
        <translation>Nachricht an den Endbenutzer</translation>
    </message>
    <message>
        <source>Chat message</source>
        <translation>Chatnachricht</translation>
    </message>
    <message>
        <source>Send chat message</source>
        <translation>Chatnachricht senden</translation>
    </message>
</context>
<context>
    <name>casefile::CommandBar</name>
    <message>
        <source>This is a change — ask the end user</source>
        <translation>Dies ist eine Änderung — Endbenutzer fragen</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>Shell the agent runs the command with</source>
        <translation>Shell, mit der der Agent den Befehl ausführt</translation>
    </message>
    <message>
        <source>Shell</source>
        <translation>Shell</translation>
    </message>
    <message>
        <source>The end user must approve the command before it runs</source>
        <translation>Der Endbenutzer muss den Befehl freigeben, bevor er ausgeführt wird</translation>
    </message>
    <message>
        <source>Change: ask the end user for consent</source>
        <translation>Änderung: Endbenutzer um Zustimmung bitten</translation>
    </message>
    <message>
        <source>Command to run on the endpoint — Ctrl+Enter runs, Up/Down browse history</source>
        <translation>Befehl zur Ausführung auf dem Endpunkt — Strg+Eingabe führt aus, Pfeil auf/ab blättert im Verlauf</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Run on the endpoint (Ctrl+Enter)</source>
        <translation>Auf dem Endpunkt ausführen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Run command</source>
        <translation>Befehl ausführen</translation>
    </message>
</context>
<context>
    <name>casefile::ConnectionStatus</name>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Actions waiting to be sent</source>
        <translation>Noch nicht gesendete Aktionen</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent</source>
        <translation>
            <numerusform>%n Aktion wartet auf Versand</numerusform>
            <numerusform>%n Aktionen warten auf Versand</numerusform>
        </translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>● Connecting…</source>
        <translation>● Verbindungsaufbau…</translation>
    </message>
    <message>
        <source>● Reconnecting in %1 s</source>
        <translation>● Neuer Verbindungsversuch in %1 s</translation>
    </message>
    <message>
        <source>● Offline</source>
        <translation>● Offline</translation>
    </message>
</context>
<context>
    <name>casefile::ConsoleApp</name>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>Anmeldung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The token was not remembered: %1</source>
        <translation>Das Token wurde nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>casefile::ContextModel</name>
    <message>
        <source>Property</source>
        <translation>Eigenschaft</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s), %1 h %2 min</source>
        <translation>
            <numerusform>%n Tag, %1 h %2 min</numerusform>
            <numerusform>%n Tage, %1 h %2 min</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Host name</source>
        <translation>Hostname</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>Betriebssystem</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Build</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domäne</translation>
    </message>
    <message>
        <source>Logged-in user</source>
        <translation>Angemeldeter Benutzer</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Betriebszeit</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CPU cores</source>
        <translation>CPU-Kerne</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <source>Installed updates</source>
        <translation>Installierte Updates</translation>
    </message>
    <message>
        <source>Captured at</source>
        <translation>Erfasst am</translation>
    </message>
</context>
<context>
    <name>casefile::CredentialStore</name>
    <message>
        <source>No token is stored for this server.</source>
        <translation>Für diesen Server ist kein Token gespeichert.</translation>
    </message>
    <message>
        <source>The system keychain did not answer (%1). Is a keyring such as GNOME Keyring or KWallet running?</source>
        <translation>Der Systemschlüsselbund hat nicht geantwortet (%1). Läuft ein Schlüsselbund wie GNOME Keyring oder KWallet?</translation>
    </message>
</context>
<context>
    <name>casefile::DisplayFormat</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>casefile::FindingsModel</name>
    <message>
        <source>User names</source>
        <translation>Benutzernamen</translation>
    </message>
    <message>
        <source>Domains</source>
        <translation>Domänen</translation>
    </message>
    <message>
        <source>Host names</source>
        <translation>Hostnamen</translation>
    </message>
    <message>
        <source>IPv4 addresses</source>
        <translation>IPv4-Adressen</translation>
    </message>
    <message>
        <source>IPv6 addresses</source>
        <translation>IPv6-Adressen</translation>
    </message>
    <message>
        <source>MAC addresses</source>
        <translation>MAC-Adressen</translation>
    </message>
    <message>
        <source>SIDs</source>
        <translation>SIDs</translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation>Geheimnisse</translation>
    </message>
    <message>
        <source>Phone numbers</source>
        <translation>Telefonnummern</translation>
    </message>
    <message>
        <source>Product keys and serials</source>
        <translation>Produktschlüssel und Seriennummern</translation>
    </message>
    <message>
        <source>Recovery keys</source>
        <translation>Wiederherstellungsschlüssel</translation>
    </message>
    <message>
        <source>Client dictionary</source>
        <translation>Kundenwörterbuch</translation>
    </message>
    <message>
        <source>Redact</source>
        <translation>Schwärzen</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Mixed</source>
        <translation>Gemischt</translation>
    </message>
    <message>
        <source>Undecided</source>
        <translation>Offen</translation>
    </message>
    <message numerus="yes">
        <source>%n undecided</source>
        <translation>
            <numerusform>%n offen</numerusform>
            <numerusform>%n offen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n value(s)</source>
        <translation>
            <numerusform>%n Wert</numerusform>
            <numerusform>%n Werte</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 undecided</source>
        <translation>%1 von %2 offen</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 — found %n time(s)</source>
        <translation>
            <numerusform>%1: %2 — %n-mal gefunden</numerusform>
            <numerusform>%1: %2 — %n-mal gefunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Redacted with its text</source>
        <translation>Mit dem ganzen Text geschwärzt</translation>
    </message>
    <message>
        <source>%1, line %2</source>
        <translation>%1, Zeile %2</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Fund</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Fundort</translation>
    </message>
</context>
<context>
    <name>casefile::HandoffPane</name>
    <message>
        <source>Handoff summary</source>
        <translation>Übergabe-Zusammenfassung</translation>
    </message>
    <message>
        <source>Show or hide the handoff summary</source>
        <translation>Übergabe-Zusammenfassung ein- oder ausblenden</translation>
    </message>
</context>
<context>
    <name>casefile::HypothesesPane</name>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Rule out</source>
        <translation>Ausschließen</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Hypotheses</source>
        <translation>Hypothesen</translation>
    </message>
    <message>
        <source>Add hypothesis</source>
        <translation>Hypothese hinzufügen</translation>
    </message>
    <message>
        <source>Rule out hypothesis</source>
        <translation>Hypothese ausschließen</translation>
    </message>
    <message>
        <source>Rule out, with the selected output lines or command as evidence</source>
        <translation>Ausschließen, mit den ausgewählten Ausgabezeilen oder dem ausgewählten Befehl als Beleg</translation>
    </message>
    <message>
        <source>Confirm hypothesis</source>
        <translation>Hypothese bestätigen</translation>
    </message>
    <message>
        <source>Confirm, with the selected output lines or command as evidence</source>
        <translation>Bestätigen, mit den ausgewählten Ausgabezeilen oder dem ausgewählten Befehl als Beleg</translation>
    </message>
    <message>
        <source>Reopen hypothesis</source>
        <translation>Hypothese wieder öffnen</translation>
    </message>
    <message>
        <source>Open hypotheses</source>
        <translation>Offene Hypothesen</translation>
    </message>
    <message>
        <source>Possible cause:</source>
        <translation>Mögliche Ursache:</translation>
    </message>
    <message numerus="yes">
        <source>%1 open of %n hypothesis(es)</source>
        <translation>
            <numerusform>%1 von %n Hypothese offen</numerusform>
            <numerusform>%1 von %n Hypothesen offen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::HypothesisModel</name>
    <message>
        <source>%1, line %2</source>
        <translation>%1, Zeile %2</translation>
    </message>
    <message>
        <source>%1, lines %2–%3</source>
        <translation>%1, Zeilen %2–%3</translation>
    </message>
    <message>
        <source>Ruled out</source>
        <translation>Ausgeschlossen</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>%1

Note: %2</source>
        <translation>%1

Notiz: %2</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Hypothesis</source>
        <translation>Hypothese</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
</context>
<context>
    <name>casefile::MainWindow</name>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Machine context</source>
        <translation>Systemkontext</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Hypotheses</source>
        <translation>Hypothesen</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Freigaben</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>No output lines or command are selected: this is recorded without evidence.</source>
        <translation>Weder Ausgabezeilen noch ein Befehl ausgewählt: Dies wird ohne Beleg erfasst.</translation>
    </message>
    <message>
        <source>Rule out</source>
        <translation>Ausschließen</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Note (optional):</source>
        <translation>Notiz (optional):</translation>
    </message>
    <message>
        <source>Signed in as %1 (%2)</source>
        <translation>Angemeldet als %1 (%2)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New session…</source>
        <translation>&amp;Neue Sitzung…</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Anmelden…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Session</source>
        <translation>&amp;Sitzung</translation>
    </message>
    <message>
        <source>&amp;Run command</source>
        <translation>Befehl &amp;ausführen</translation>
    </message>
    <message>
        <source>&amp;Cancel running command…</source>
        <translation>Laufenden Befehl a&amp;bbrechen…</translation>
    </message>
    <message>
        <source>&amp;Find in output…</source>
        <translation>In Ausgabe s&amp;uchen…</translation>
    </message>
    <message>
        <source>Add &amp;note…</source>
        <translation>&amp;Notiz hinzufügen…</translation>
    </message>
    <message>
        <source>C&amp;lose session…</source>
        <translation>Sitzung &amp;schließen…</translation>
    </message>
    <message>
        <source>Re&amp;fresh sessions</source>
        <translation>Sitzungen a&amp;ktualisieren</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptsymbolleiste</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Casefile</source>
        <translation>Ü&amp;ber Casefile</translation>
    </message>
    <message>
        <source>About Casefile</source>
        <translation>Über Casefile</translation>
    </message>
    <message>
        <source>&lt;b&gt;Casefile %1&lt;/b&gt;&lt;p&gt;Troubleshooting sessions recorded as operational memory: every command, its output, consent, hypotheses and chat, hash-chained.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Casefile %1&lt;/b&gt;&lt;p&gt;Fehlerbehebungssitzungen, aufgezeichnet als betriebliches Gedächtnis: jeder Befehl, seine Ausgabe, Zustimmungen, Hypothesen und Chat, per Hash-Kette verknüpft.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Casefile</source>
        <translation>Casefile</translation>
    </message>
    <message>
        <source>%1 — %2 — Casefile</source>
        <translation>%1 — %2 — Casefile</translation>
    </message>
    <message>
        <source>Open a session first.</source>
        <translation>Öffnen Sie zuerst eine Sitzung.</translation>
    </message>
    <message>
        <source>Asking the end user to approve: %1</source>
        <translation>Endbenutzer wird um Freigabe gebeten: %1</translation>
    </message>
    <message>
        <source>Sent: %1</source>
        <translation>Gesendet: %1</translation>
    </message>
    <message>
        <source>No command is running.</source>
        <translation>Es läuft kein Befehl.</translation>
    </message>
    <message>
        <source>Cancel command</source>
        <translation>Befehl abbrechen</translation>
    </message>
    <message>
        <source>Stop this command on the endpoint?

%1</source>
        <translation>Diesen Befehl auf dem Endpunkt abbrechen?

%1</translation>
    </message>
    <message>
        <source>Cancel sent: %1</source>
        <translation>Abbruch gesendet: %1</translation>
    </message>
    <message>
        <source>This hypothesis has no evidence recorded.</source>
        <translation>Für diese Hypothese ist kein Beleg erfasst.</translation>
    </message>
    <message>
        <source>The session could not be opened: %1</source>
        <translation>Die Sitzung konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Notiz:</translation>
    </message>
    <message>
        <source>Close session</source>
        <translation>Sitzung schließen</translation>
    </message>
    <message>
        <source>Nothing can be added after closing. Summary (optional):</source>
        <translation>Nach dem Schließen kann nichts mehr hinzugefügt werden. Zusammenfassung (optional):</translation>
    </message>
    <message>
        <source>The selected output lines or command are recorded as evidence.</source>
        <translation>Die ausgewählten Ausgabezeilen oder der ausgewählte Befehl werden als Beleg festgehalten.</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Meldungen</translation>
    </message>
    <message>
        <source>Hypothesis</source>
        <translation>Hypothese</translation>
    </message>
    <message>
        <source>The local copy of this session did not match the server&apos;s; it was read again from the server.</source>
        <translation>Die lokale Kopie dieser Sitzung stimmte nicht mit der des Servers überein; sie wurde neu vom Server gelesen.</translation>
    </message>
    <message>
        <source>Review and &amp;publish…</source>
        <translation>Prüfen und &amp;veröffentlichen…</translation>
    </message>
    <message>
        <source>Redact and publish a snapshot of this session or several (Ctrl+Shift+P)</source>
        <translation>Einen geschwärzten Snapshot dieser oder mehrerer Sitzungen veröffentlichen (Strg+Umschalt+P)</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Snapshot</translation>
    </message>
    <message>
        <source>Session of the snapshot</source>
        <translation>Sitzung des Snapshots</translation>
    </message>
    <message>
        <source>Open snapshot &amp;link…</source>
        <translation>Snapshot-&amp;Link öffnen…</translation>
    </message>
    <message>
        <source>Open snapshot &amp;file…</source>
        <translation>Snapshot-&amp;Datei öffnen…</translation>
    </message>
    <message>
        <source>&amp;Export snapshot…</source>
        <translation>Snapshot &amp;exportieren…</translation>
    </message>
    <message>
        <source>Start &amp;follow-up session…</source>
        <translation>&amp;Folgesitzung starten…</translation>
    </message>
    <message>
        <source>A new session on the same endpoint that starts from this one&apos;s hypotheses</source>
        <translation>Eine neue Sitzung auf demselben Endpunkt, die mit den Hypothesen dieser Sitzung beginnt</translation>
    </message>
    <message>
        <source>Search &amp;all sessions…</source>
        <translation>&amp;Alle Sitzungen durchsuchen…</translation>
    </message>
    <message>
        <source>%1 — snapshot (read-only) — Casefile</source>
        <translation>%1 – Snapshot (schreibgeschützt) – Casefile</translation>
    </message>
    <message>
        <source>Snapshot not opened</source>
        <translation>Snapshot nicht geöffnet</translation>
    </message>
    <message>
        <source>Snapshot · read-only · expires %1</source>
        <translation>Snapshot · schreibgeschützt · läuft ab %1</translation>
    </message>
    <message>
        <source>Published by %1</source>
        <translation>Veröffentlicht von %1</translation>
    </message>
    <message>
        <source>Snapshot verified: signature and every session&apos;s chain hold.</source>
        <translation>Snapshot geprüft: Signatur und die Kette jeder Sitzung sind intakt.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>This is not a Casefile link (%1): %2</source>
        <translation>Das ist kein Casefile-Link (%1): %2</translation>
    </message>
    <message>
        <source>Fetching the snapshot…</source>
        <translation>Snapshot wird abgerufen…</translation>
    </message>
    <message>
        <source>This link is for a session on %1, but you are signed in to %2. Sign in to that server to open it.</source>
        <translation>Dieser Link gehört zu einer Sitzung auf %1, Sie sind aber bei %2 angemeldet. Melden Sie sich bei diesem Server an, um sie zu öffnen.</translation>
    </message>
    <message>
        <source>Another server</source>
        <translation>Anderer Server</translation>
    </message>
    <message>
        <source>That command&apos;s output is not in this record.</source>
        <translation>Die Ausgabe dieses Befehls ist nicht in dieser Aufzeichnung.</translation>
    </message>
    <message>
        <source>Copy &amp;link to entry</source>
        <translation>&amp;Link auf den Eintrag kopieren</translation>
    </message>
    <message>
        <source>A snapshot opened from a file has no link.</source>
        <translation>Ein aus einer Datei geöffneter Snapshot hat keinen Link.</translation>
    </message>
    <message>
        <source>Link copied: %1</source>
        <translation>Link kopiert: %1</translation>
    </message>
    <message>
        <source>Open snapshot link</source>
        <translation>Snapshot-Link öffnen</translation>
    </message>
    <message>
        <source>Snapshot link (https://…/s/… or casefile://…):</source>
        <translation>Snapshot-Link (https://…/s/… oder casefile://…):</translation>
    </message>
    <message>
        <source>Open snapshot file</source>
        <translation>Snapshot-Datei öffnen</translation>
    </message>
    <message>
        <source>Casefile snapshots (*.casefile);;All files (*)</source>
        <translation>Casefile-Snapshots (*.casefile);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>PDF wird geschrieben…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export snapshot</source>
        <translation>Snapshot exportieren</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <source>Signed snapshot (*.casefile)</source>
        <translation>Signierter Snapshot (*.casefile)</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>Webseite (*.html)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>The follow-up session could not be started: %1</source>
        <translation>Die Folgesitzung konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>Open a session or a snapshot first.</source>
        <translation>Öffnen Sie zuerst eine Sitzung oder einen Snapshot.</translation>
    </message>
    <message>
        <source>Start follow-up session</source>
        <translation>Folgesitzung starten</translation>
    </message>
    <message>
        <source>Follow-up: %1</source>
        <translation>Folgesitzung: %1</translation>
    </message>
</context>
<context>
    <name>casefile::NewSessionDialog</name>
    <message>
        <source>New session</source>
        <translation>Neue Sitzung</translation>
    </message>
    <message>
        <source>%1 (online)</source>
        <translation>%1 (online)</translation>
    </message>
    <message>
        <source>%1 (offline)</source>
        <translation>%1 (offline)</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>What is wrong, e.g. “Printing fails on 2nd floor”</source>
        <translation>Was ist das Problem, z. B. „Drucken im 2. OG schlägt fehl“</translation>
    </message>
    <message>
        <source>Session title</source>
        <translation>Sitzungstitel</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>comma separated</source>
        <translation>durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Sitzung öffnen</translation>
    </message>
    <message>
        <source>&amp;Endpoint:</source>
        <translation>&amp;Endpunkt:</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>Tic&amp;ket:</source>
        <translation>Tic&amp;ket:</translation>
    </message>
    <message>
        <source>T&amp;ags:</source>
        <translation>T&amp;ags:</translation>
    </message>
</context>
<context>
    <name>casefile::OpenSnapshot</name>
    <message>
        <source>The snapshot does not verify and is not shown: %1</source>
        <translation>Der Snapshot lässt sich nicht prüfen und wird nicht angezeigt: %1</translation>
    </message>
    <message>
        <source>The snapshot holds an event the console cannot read: %1</source>
        <translation>Der Snapshot enthält ein Ereignis, das die Konsole nicht lesen kann: %1</translation>
    </message>
    <message>
        <source>The snapshot holds no session.</source>
        <translation>Der Snapshot enthält keine Sitzung.</translation>
    </message>
</context>
<context>
    <name>casefile::OutputPane</name>
    <message>
        <source>Match case</source>
        <translation>Groß-/Kleinschreibung beachten</translation>
    </message>
    <message>
        <source>Output header</source>
        <translation>Ausgabe-Kopfzeile</translation>
    </message>
    <message>
        <source>Find in output</source>
        <translation>In Ausgabe suchen</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Vorheriger</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Vorheriger Treffer (Umschalt+F3)</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Vorheriger Treffer</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Nächster</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Nächster Treffer (F3)</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Nächster Treffer</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close find bar</source>
        <translation>Suchleiste schließen</translation>
    </message>
    <message>
        <source>Find result</source>
        <translation>Suchergebnis</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message numerus="yes">
        <source>%1 › %2 — %n line(s)</source>
        <translation>
            <numerusform>%1 › %2 — %n Zeile</numerusform>
            <numerusform>%1 › %2 — %n Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <source> — running, following</source>
        <translation> — läuft, folgt der Ausgabe</translation>
    </message>
    <message>
        <source> — running, scrolled up (Ctrl+End follows)</source>
        <translation> — läuft, nach oben gescrollt (Strg+Ende folgt wieder)</translation>
    </message>
    <message>
        <source> — %1</source>
        <translation> — %1</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Line %1</source>
        <translation>Zeile %1</translation>
    </message>
</context>
<context>
    <name>casefile::OutputView</name>
    <message>
        <source>Command output</source>
        <translation>Befehlsausgabe</translation>
    </message>
    <message>
        <source>No output yet.</source>
        <translation>Noch keine Ausgabe.</translation>
    </message>
    <message>
        <source>Select a command to see its output.</source>
        <translation>Wählen Sie einen Befehl aus, um seine Ausgabe anzuzeigen.</translation>
    </message>
</context>
<context>
    <name>casefile::ReviewDialog</name>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Zurück</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Weiter &gt;</translation>
    </message>
    <message>
        <source>Review and publish</source>
        <translation>Prüfen und veröffentlichen</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Undo the last decision</source>
        <translation>Letzte Entscheidung rückgängig machen</translation>
    </message>
    <message>
        <source>Redo the decision undone</source>
        <translation>Rückgängig gemachte Entscheidung wiederholen</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Close the review</source>
        <translation>Prüfung schließen</translation>
    </message>
    <message>
        <source>Sessions to publish</source>
        <translation>Zu veröffentlichende Sitzungen</translation>
    </message>
    <message>
        <source>Sessions chosen</source>
        <translation>Ausgewählte Sitzungen</translation>
    </message>
    <message>
        <source>Choose &amp;all shown</source>
        <translation>&amp;Alle angezeigten wählen</translation>
    </message>
    <message>
        <source>Choose every session shown</source>
        <translation>Jede angezeigte Sitzung wählen</translation>
    </message>
    <message>
        <source>Choose one session, or several: a client group or endpoint row takes every session shown under it — for example everything for a client that is changing MSP. Ctrl and Shift add to the choice.</source>
        <translation>Wählen Sie eine Sitzung oder mehrere: Eine Zeile einer Kundengruppe oder eines Endpunkts nimmt jede darunter angezeigte Sitzung mit — etwa alles für einen Kunden, der den MSP wechselt. Strg und Umschalt erweitern die Auswahl.</translation>
    </message>
    <message>
        <source>No session chosen.</source>
        <translation>Keine Sitzung gewählt.</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s) chosen.</source>
        <translation>
            <numerusform>%n Sitzung gewählt.</numerusform>
            <numerusform>%n Sitzungen gewählt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>&amp;Redact all</source>
        <translation>Alle &amp;schwärzen</translation>
    </message>
    <message>
        <source>&amp;Keep all</source>
        <translation>Alle &amp;behalten</translation>
    </message>
    <message>
        <source>Redact this one</source>
        <translation>Nur diesen schwärzen</translation>
    </message>
    <message>
        <source>Keep this one</source>
        <translation>Nur diesen behalten</translation>
    </message>
    <message>
        <source>Redact &amp;selection</source>
        <translation>&amp;Auswahl schwärzen</translation>
    </message>
    <message>
        <source>Redact &amp;line</source>
        <translation>&amp;Zeile schwärzen</translation>
    </message>
    <message>
        <source>Redact &amp;whole text</source>
        <translation>&amp;Ganzen Text schwärzen</translation>
    </message>
    <message>
        <source>Add to client &amp;dictionary…</source>
        <translation>Zum Kunden&amp;wörterbuch hinzufügen…</translation>
    </message>
    <message>
        <source>Scan status</source>
        <translation>Suchstatus</translation>
    </message>
    <message>
        <source>Scan progress</source>
        <translation>Suchfortschritt</translation>
    </message>
    <message>
        <source>Cancel the scan</source>
        <translation>Suche abbrechen</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Funde</translation>
    </message>
    <message>
        <source>Findings summary</source>
        <translation>Übersicht der Funde</translation>
    </message>
    <message>
        <source>Redact every occurrence of this value</source>
        <translation>Jedes Vorkommen dieses Werts schwärzen</translation>
    </message>
    <message>
        <source>Keep every occurrence of this value</source>
        <translation>Jedes Vorkommen dieses Werts behalten</translation>
    </message>
    <message>
        <source>Redact only this occurrence</source>
        <translation>Nur dieses Vorkommen schwärzen</translation>
    </message>
    <message>
        <source>Keep only this occurrence</source>
        <translation>Nur dieses Vorkommen behalten</translation>
    </message>
    <message>
        <source>Every occurrence of the value, or of every value of the type (R)</source>
        <translation>Jedes Vorkommen des Werts oder aller Werte des Typs (R)</translation>
    </message>
    <message>
        <source>Every occurrence of the value, or of every value of the type (K)</source>
        <translation>Jedes Vorkommen des Werts oder aller Werte des Typs (K)</translation>
    </message>
    <message>
        <source>Only the occurrence selected (Shift+R)</source>
        <translation>Nur das ausgewählte Vorkommen (Umschalt+R)</translation>
    </message>
    <message>
        <source>Only the occurrence selected (Shift+K)</source>
        <translation>Nur das ausgewählte Vorkommen (Umschalt+K)</translation>
    </message>
    <message>
        <source>Text shown</source>
        <translation>Angezeigter Text</translation>
    </message>
    <message>
        <source>Original text</source>
        <translation>Originaltext</translation>
    </message>
    <message>
        <source>Preview as published</source>
        <translation>Vorschau wie veröffentlicht</translation>
    </message>
    <message>
        <source>Redact the selected text</source>
        <translation>Ausgewählten Text schwärzen</translation>
    </message>
    <message>
        <source>Redact the selected lines</source>
        <translation>Ausgewählte Zeilen schwärzen</translation>
    </message>
    <message>
        <source>Redact the whole text</source>
        <translation>Ganzen Text schwärzen</translation>
    </message>
    <message>
        <source>Add a term to the client dictionary</source>
        <translation>Einen Begriff zum Kundenwörterbuch hinzufügen</translation>
    </message>
    <message>
        <source>Redact all</source>
        <translation>Alle schwärzen</translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation>Alle behalten</translation>
    </message>
    <message>
        <source>Next undecided</source>
        <translation>Nächster offener Fund</translation>
    </message>
    <message>
        <source>Redact selection</source>
        <translation>Auswahl schwärzen</translation>
    </message>
    <message>
        <source>Redact line</source>
        <translation>Zeile schwärzen</translation>
    </message>
    <message>
        <source>Redact whole text</source>
        <translation>Ganzen Text schwärzen</translation>
    </message>
    <message>
        <source>Add to client dictionary…</source>
        <translation>Zum Kundenwörterbuch hinzufügen…</translation>
    </message>
    <message>
        <source>Original</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>As published</source>
        <translation>Wie veröffentlicht</translation>
    </message>
    <message>
        <source>People in the &amp;organisation (signed in)</source>
        <translation>Personen in der &amp;Organisation (angemeldet)</translation>
    </message>
    <message>
        <source>&amp;Anyone with the link</source>
        <translation>&amp;Jeder mit dem Link</translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation>&amp;Veröffentlichen</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Snapshot title</source>
        <translation>Titel des Snapshots</translation>
    </message>
    <message>
        <source>Summary note</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>What was wrong, what was found, what fixed it — for the reader of the snapshot</source>
        <translation>Was war falsch, was wurde gefunden, was hat es behoben — für die Leser des Snapshots</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Expires after days</source>
        <translation>Läuft ab nach Tagen</translation>
    </message>
    <message>
        <source>Audience: people in the organisation</source>
        <translation>Publikum: Personen in der Organisation</translation>
    </message>
    <message>
        <source>Audience: anyone with the link</source>
        <translation>Publikum: jeder mit dem Link</translation>
    </message>
    <message>
        <source>Publish the snapshot</source>
        <translation>Snapshot veröffentlichen</translation>
    </message>
    <message>
        <source>Publish status</source>
        <translation>Veröffentlichungsstatus</translation>
    </message>
    <message>
        <source>Published link</source>
        <translation>Veröffentlichter Link</translation>
    </message>
    <message>
        <source>The link appears here once published</source>
        <translation>Der Link erscheint hier nach dem Veröffentlichen</translation>
    </message>
    <message>
        <source>Copy the link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>&amp;Summary:</source>
        <translation>&amp;Zusammenfassung:</translation>
    </message>
    <message>
        <source>&amp;Expires after:</source>
        <translation>Läuft &amp;ab nach:</translation>
    </message>
    <message>
        <source>Audience:</source>
        <translation>Publikum:</translation>
    </message>
    <message>
        <source>The server signs the snapshot, applies the same decisions to its own copy of the record and refuses it while any finding is undecided. The title and summary are scrubbed of every redacted value too.</source>
        <translation>Der Server signiert den Snapshot, wendet dieselben Entscheidungen auf seine eigene Kopie des Verlaufs an und lehnt ihn ab, solange ein Fund offen ist. Auch Titel und Zusammenfassung werden von jedem geschwärzten Wert bereinigt.</translation>
    </message>
    <message>
        <source>The link is copied to the clipboard.</source>
        <translation>Der Link wurde in die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <source>1 Choose sessions</source>
        <translation>1 Sitzungen wählen</translation>
    </message>
    <message>
        <source>2 Review findings</source>
        <translation>2 Funde prüfen</translation>
    </message>
    <message>
        <source>3 Publish</source>
        <translation>3 Veröffentlichen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Undo: %1</source>
        <translation>Rückgängig: %1</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Redo: %1</source>
        <translation>Wiederholen: %1</translation>
    </message>
    <message>
        <source>Published. The link is copied to the clipboard; it works until %1.</source>
        <translation>Veröffentlicht. Der Link wurde in die Zwischenablage kopiert; er gilt bis %1.</translation>
    </message>
    <message>
        <source>Publishing needs the reviewer or admin role: %1</source>
        <translation>Zum Veröffentlichen ist die Rolle Prüfer oder Admin nötig: %1</translation>
    </message>
    <message>
        <source>The server still finds findings without a decision: %1</source>
        <translation>Der Server findet noch Funde ohne Entscheidung: %1</translation>
    </message>
    <message>
        <source>Publishing failed: %1</source>
        <translation>Veröffentlichen fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n sessions</source>
        <translation>
            <numerusform>%n Sitzung</numerusform>
            <numerusform>%n Sitzungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; — %n line(s)</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; — %n Zeile</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; — %n Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <source>Add to client dictionary</source>
        <translation>Zum Kundenwörterbuch hinzufügen</translation>
    </message>
    <message>
        <source>A company, person or site name to redact wherever it appears. It is saved to the client dictionary when the snapshot is published.</source>
        <translation>Ein Firmen-, Personen- oder Standortname, der überall geschwärzt wird. Er wird beim Veröffentlichen des Snapshots im Kundenwörterbuch gespeichert.</translation>
    </message>
    <message>
        <source>“%1” is already in the dictionary or too short to be a term.</source>
        <translation>„%1“ steht schon im Wörterbuch oder ist als Begriff zu kurz.</translation>
    </message>
    <message>
        <source>Publishing…</source>
        <translation>Wird veröffentlicht…</translation>
    </message>
    <message numerus="yes">
        <source>Scanned %n text(s).</source>
        <translation>
            <numerusform>%n Text durchsucht.</numerusform>
            <numerusform>%n Texte durchsucht.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 findings in %2 values — &lt;b&gt;%3 undecided&lt;/b&gt;</source>
        <translation>%1 Funde in %2 Werten — &lt;b&gt;%3 offen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Show &amp;whole text again</source>
        <translation>&amp;Ganzen Text wieder zeigen</translation>
    </message>
    <message>
        <source>Choose sessions first.</source>
        <translation>Wählen Sie zuerst Sitzungen.</translation>
    </message>
    <message>
        <source>Waiting for the scan to finish.</source>
        <translation>Warten auf das Ende der Suche.</translation>
    </message>
    <message numerus="yes">
        <source>Decide every finding first: %n still undecided.</source>
        <translation>
            <numerusform>Entscheiden Sie zuerst jeden Fund: %n noch offen.</numerusform>
            <numerusform>Entscheiden Sie zuerst jeden Fund: %n noch offen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Give the snapshot a title.</source>
        <translation>Geben Sie dem Snapshot einen Titel.</translation>
    </message>
    <message>
        <source>Every finding is decided. Ready to publish.</source>
        <translation>Jeder Fund ist entschieden. Bereit zum Veröffentlichen.</translation>
    </message>
</context>
<context>
    <name>casefile::ReviewSession</name>
    <message>
        <source>Reading session %1 of %2…</source>
        <translation>Sitzung %1 von %2 wird gelesen…</translation>
    </message>
    <message>
        <source>A session could not be read: %1</source>
        <translation>Eine Sitzung konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The connection to the server was closed.</source>
        <translation>Die Verbindung zum Server wurde geschlossen.</translation>
    </message>
    <message>
        <source>Reading the client dictionary…</source>
        <translation>Kundenwörterbuch wird gelesen…</translation>
    </message>
    <message>
        <source>Scanning for personal data…</source>
        <translation>Suche nach personenbezogenen Daten…</translation>
    </message>
    <message>
        <source>The scan was cancelled.</source>
        <translation>Die Suche wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>Das Laden wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Redact “%1”</source>
        <translation>„%1“ schwärzen</translation>
    </message>
    <message>
        <source>Keep “%1”</source>
        <translation>„%1“ behalten</translation>
    </message>
    <message>
        <source>Redact all %1</source>
        <translation>Alle %1 schwärzen</translation>
    </message>
    <message>
        <source>Keep all %1</source>
        <translation>Alle %1 behalten</translation>
    </message>
    <message>
        <source>Redact this “%1”</source>
        <translation>Dieses „%1“ schwärzen</translation>
    </message>
    <message>
        <source>Keep this “%1”</source>
        <translation>Dieses „%1“ behalten</translation>
    </message>
    <message>
        <source>Redact line %1 of %2</source>
        <translation>Zeile %1 von %2 schwärzen</translation>
    </message>
    <message>
        <source>Redact all of %1</source>
        <translation>%1 vollständig schwärzen</translation>
    </message>
    <message>
        <source>Show %1 again</source>
        <translation>%1 wieder zeigen</translation>
    </message>
    <message>
        <source>Add “%1” to the client dictionary</source>
        <translation>„%1“ zum Kundenwörterbuch hinzufügen</translation>
    </message>
    <message>
        <source>errors of %1</source>
        <translation>Fehlerausgabe von %1</translation>
    </message>
    <message>
        <source>output of %1</source>
        <translation>Ausgabe von %1</translation>
    </message>
    <message>
        <source>command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>hypothesis</source>
        <translation>Hypothese</translation>
    </message>
    <message>
        <source>machine context (%1)</source>
        <translation>Systemkontext (%1)</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>Sitzung: %1</translation>
    </message>
    <message>
        <source>closing summary</source>
        <translation>Abschlusszusammenfassung</translation>
    </message>
    <message>
        <source>approval</source>
        <translation>Freigabe</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>casefile::SessionController</name>
    <message numerus="yes">
        <source>The server refused %n action(s) (%1): %2</source>
        <translation>
            <numerusform>Der Server hat %n Aktion abgelehnt (%1): %2</numerusform>
            <numerusform>Der Server hat %n Aktionen abgelehnt (%1): %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign in once before working offline.</source>
        <translation>Melden Sie sich einmal an, bevor Sie offline arbeiten.</translation>
    </message>
    <message>
        <source>Cancel failed (%1): %2</source>
        <translation>Abbruch fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>The server cannot be reached; a session can only be opened online.</source>
        <translation>Der Server ist nicht erreichbar; eine Sitzung kann nur online geöffnet werden.</translation>
    </message>
    <message>
        <source>The session cannot be followed (%1): %2</source>
        <translation>Der Sitzung kann nicht gefolgt werden (%1): %2</translation>
    </message>
    <message>
        <source>The local cache cannot be used: %1</source>
        <translation>Der lokale Zwischenspeicher kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>The console was closed.</source>
        <translation>Die Konsole wurde geschlossen.</translation>
    </message>
    <message>
        <source>The server sent an event that does not continue the record (seq %1).</source>
        <translation>Der Server hat ein Ereignis gesendet, das den Verlauf nicht fortsetzt (Seq. %1).</translation>
    </message>
    <message>
        <source>Ruled out in %1</source>
        <translation>Ausgeschlossen in %1</translation>
    </message>
    <message>
        <source>Confirmed in %1</source>
        <translation>Bestätigt in %1</translation>
    </message>
    <message>
        <source>The session was opened, but its hypotheses could not be carried over: %1</source>
        <translation>Die Sitzung wurde geöffnet, aber ihre Hypothesen konnten nicht übernommen werden: %1</translation>
    </message>
    <message>
        <source>this snapshot is for its organisation only; sign in to its server to open it</source>
        <translation>dieser Snapshot ist nur für seine Organisation; melden Sie sich bei seinem Server an, um ihn zu öffnen</translation>
    </message>
    <message>
        <source>no such snapshot</source>
        <translation>diesen Snapshot gibt es nicht</translation>
    </message>
    <message>
        <source>the snapshot has expired or was revoked</source>
        <translation>der Snapshot ist abgelaufen oder wurde widerrufen</translation>
    </message>
    <message>
        <source>The snapshot could not be fetched: %1</source>
        <translation>Der Snapshot konnte nicht abgerufen werden: %1</translation>
    </message>
</context>
<context>
    <name>casefile::SessionFilterBar</name>
    <message>
        <source>Opened between</source>
        <translation>Geöffnet zwischen</translation>
    </message>
    <message>
        <source>Client group filter</source>
        <translation>Kundengruppenfilter</translation>
    </message>
    <message>
        <source>Endpoint filter</source>
        <translation>Endpunktfilter</translation>
    </message>
    <message>
        <source>Technician filter</source>
        <translation>Technikerfilter</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>Tag-Filter</translation>
    </message>
    <message>
        <source>Filter by date opened</source>
        <translation>Nach Öffnungsdatum filtern</translation>
    </message>
    <message>
        <source>Opened from</source>
        <translation>Geöffnet ab</translation>
    </message>
    <message>
        <source>Opened until</source>
        <translation>Geöffnet bis</translation>
    </message>
    <message>
        <source>Client group</source>
        <translation>Kundengruppe</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>Techniker</translation>
    </message>
    <message>
        <source>Client &amp;group</source>
        <translation>Kunden&amp;gruppe</translation>
    </message>
    <message>
        <source>&amp;Endpoint</source>
        <translation>&amp;Endpunkt</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>&amp;Tag</translation>
    </message>
    <message>
        <source>All client groups</source>
        <translation>Alle Kundengruppen</translation>
    </message>
    <message>
        <source>All endpoints</source>
        <translation>Alle Endpunkte</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Alle</translation>
    </message>
</context>
<context>
    <name>casefile::SessionTreeModel</name>
    <message>
        <source>Client group %1</source>
        <translation>Kundengruppe %1</translation>
    </message>
    <message>
        <source>%1 (%2) — %3</source>
        <translation>%1 (%2) — %3</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Ticket: %1</source>
        <translation>Ticket: %1</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>Tags: %1</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Found: %1</source>
        <translation>Gefunden: %1</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Geöffnet</translation>
    </message>
    <message>
        <source>Technician %1</source>
        <translation>Techniker %1</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Fundstelle</translation>
    </message>
</context>
<context>
    <name>casefile::SessionsPane</name>
    <message>
        <source>Live only</source>
        <translation>Nur live</translation>
    </message>
    <message>
        <source>Search sessions, commands and output</source>
        <translation>Sitzungen, Befehle und Ausgaben durchsuchen</translation>
    </message>
    <message>
        <source>Search sessions</source>
        <translation>Sitzungen durchsuchen</translation>
    </message>
    <message>
        <source>Show live sessions only</source>
        <translation>Nur Live-Sitzungen anzeigen</translation>
    </message>
    <message>
        <source>Search result</source>
        <translation>Suchergebnis</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>No command or output in the cached sessions matches.</source>
        <translation>Kein Befehl und keine Ausgabe in den zwischengespeicherten Sitzungen stimmt überein.</translation>
    </message>
    <message numerus="yes">
        <source>Found in %n session(s) (commands, output, chat, notes); hover a session to see where.</source>
        <translation>
            <numerusform>In %n Sitzung gefunden (Befehle, Ausgabe, Chat, Notizen); für die Fundstelle auf die Sitzung zeigen.</numerusform>
            <numerusform>In %n Sitzungen gefunden (Befehle, Ausgabe, Chat, Notizen); für die Fundstelle auf die Sitzung zeigen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::SignInDialog</name>
    <message>
        <source>Remember the token in the system keychain</source>
        <translation>Token im Schlüsselbund des Systems speichern</translation>
    </message>
    <message>
        <source>Sign in to Casefile</source>
        <translation>Bei Casefile anmelden</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <source>Remember token</source>
        <translation>Token speichern</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <source>Ask your Casefile administrator for a token (casefiled admin issue-token).</source>
        <translation>Fragen Sie Ihren Casefile-Administrator nach einem Token (casefiled admin issue-token).</translation>
    </message>
</context>
<context>
    <name>casefile::TeamSearchDialog</name>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>&amp;More results</source>
        <translation>&amp;Weitere Treffer</translation>
    </message>
    <message>
        <source>Search all sessions</source>
        <translation>Alle Sitzungen durchsuchen</translation>
    </message>
    <message>
        <source>Words, &quot;a phrase&quot; or prefix*</source>
        <translation>Wörter, &quot;eine Phrase&quot; oder Präfix*</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Suchtext</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>Load more results</source>
        <translation>Weitere Treffer laden</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>Suchstatus</translation>
    </message>
    <message>
        <source>Type what to look for.</source>
        <translation>Geben Sie ein, wonach gesucht werden soll.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>Die Suche ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Nichts gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>%n hit(s) shown</source>
        <translation>
            <numerusform>%n Treffer angezeigt</numerusform>
            <numerusform>%n Treffer angezeigt</numerusform>
        </translation>
    </message>
    <message>
        <source>; there are more.</source>
        <translation>; es gibt weitere.</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>hypothesis</source>
        <translation>Hypothese</translation>
    </message>
    <message>
        <source>session</source>
        <translation>Sitzung</translation>
    </message>
</context>
<context>
    <name>casefile::TimelineModel</name>
    <message>
        <source>Session opened: %1 (ticket %2)</source>
        <translation>Sitzung geöffnet: %1 (Ticket %2)</translation>
    </message>
    <message>
        <source>Session opened: %1</source>
        <translation>Sitzung geöffnet: %1</translation>
    </message>
    <message>
        <source>Follow-up of session %1</source>
        <translation>Fortsetzung von Sitzung %1</translation>
    </message>
    <message>
        <source>Machine context: %1, %2 %3</source>
        <translation>Systemkontext: %1, %2 %3</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>approved by %1</source>
        <translation>freigegeben von %1</translation>
    </message>
    <message>
        <source>denied by %1</source>
        <translation>abgelehnt von %1</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>zurückgezogen</translation>
    </message>
    <message>
        <source>added</source>
        <translation>hinzugefügt</translation>
    </message>
    <message>
        <source>ruled out</source>
        <translation>ausgeschlossen</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>wieder geöffnet</translation>
    </message>
    <message numerus="yes">
        <source>%n piece(s) of evidence</source>
        <translation>
            <numerusform>%n Beleg</numerusform>
            <numerusform>%n Belege</numerusform>
        </translation>
    </message>
    <message>
        <source>Session closed: %1</source>
        <translation>Sitzung geschlossen: %1</translation>
    </message>
    <message>
        <source>Session closed</source>
        <translation>Sitzung geschlossen</translation>
    </message>
    <message>
        <source>server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Freigabe</translation>
    </message>
    <message>
        <source>Hypothesis</source>
        <translation>Hypothese</translation>
    </message>
    <message>
        <source>Chat (end user)</source>
        <translation>Chat (Endbenutzer)</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>awaiting approval</source>
        <translation>wartet auf Freigabe</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>exit %1</source>
        <translation>Exit-Code %1</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>abgestürzt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) — %1</source>
        <translation>
            <numerusform>%n Zeile — %1</numerusform>
            <numerusform>%n Zeilen — %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (as %2)</source>
        <translation>%1 (als %2)</translation>
    </message>
    <message>
        <source>waiting %1</source>
        <translation>wartet seit %1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>By / runs as</source>
        <translation>Von / ausgeführt als</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>ended with the session</source>
        <translation>mit der Sitzung beendet</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Casefile technician console</source>
        <translation>Casefile-Technikerkonsole</translation>
    </message>
    <message>
        <source>Server address (default: CASEFILE_SERVER or the last one).</source>
        <translation>Serveradresse (Standard: CASEFILE_SERVER oder die zuletzt verwendete).</translation>
    </message>
    <message>
        <source>Access token (default: CASEFILE_TOKEN or the keychain).</source>
        <translation>Zugriffstoken (Standard: CASEFILE_TOKEN oder aus dem Schlüsselbund).</translation>
    </message>
    <message>
        <source>Session to open.</source>
        <translation>Zu öffnende Sitzung.</translation>
    </message>
    <message>
        <source>A casefile:// link or a snapshot link to open.</source>
        <translation>Ein zu öffnender casefile://-Link oder Snapshot-Link.</translation>
    </message>
</context>
</TS>
