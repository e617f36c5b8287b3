<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>casefile::ApprovalsPane</name>
    <message numerus="yes">
        <source>%n request(s) waiting for the end user</source>
        <translation>
            <numerusform>%n request waiting for the end user</numerusform>
            <numerusform>%n requests waiting for the end user</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::ConnectionStatus</name>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent</source>
        <translation>
            <numerusform>%n action waiting to be sent</numerusform>
            <numerusform>%n actions waiting to be sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::ContextModel</name>
    <message numerus="yes">
        <source>%n day(s), %1 h %2 min</source>
        <translation>
            <numerusform>%n day, %1 h %2 min</numerusform>
            <numerusform>%n days, %1 h %2 min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::FindingsModel</name>
    <message numerus="yes">
        <source>%n undecided</source>
        <translation>
            <numerusform>%n undecided</numerusform>
            <numerusform>%n undecided</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n value(s)</source>
        <translation>
            <numerusform>%n value</numerusform>
            <numerusform>%n values</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 — found %n time(s)</source>
        <translation>
            <numerusform>%1: %2 — found once</numerusform>
            <numerusform>%1: %2 — found %n times</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::HypothesesPane</name>
    <message numerus="yes">
        <source>%1 open of %n hypothesis(es)</source>
        <translation>
            <numerusform>%1 open of %n hypothesis</numerusform>
            <numerusform>%1 open of %n hypotheses</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::OutputPane</name>
    <message numerus="yes">
        <source>%1 › %2 — %n line(s)</source>
        <translation>
            <numerusform>%1 › %2 — %n line</numerusform>
            <numerusform>%1 › %2 — %n lines</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::ReviewDialog</name>
    <message numerus="yes">
        <source>%n session(s) chosen.</source>
        <translation>
            <numerusform>%n session chosen.</numerusform>
            <numerusform>%n sessions chosen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sessions</source>
        <translation>
            <numerusform>%n session</numerusform>
            <numerusform>%n sessions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; — %n line(s)</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; — %n line</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; — %n lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scanned %n text(s).</source>
        <translation>
            <numerusform>Scanned %n text.</numerusform>
            <numerusform>Scanned %n texts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Decide every finding first: %n still undecided.</source>
        <translation>
            <numerusform>Decide every finding first: %n still undecided.</numerusform>
            <numerusform>Decide every finding first: %n still undecided.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::SessionController</name>
    <message numerus="yes">
        <source>The server refused %n action(s) (%1): %2</source>
        <translation>
            <numerusform>The server refused %n action (%1): %2</numerusform>
            <numerusform>The server refused %n actions (%1): %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::SessionsPane</name>
    <message numerus="yes">
        <source>Found in %n session(s) (commands, output, chat, notes); hover a session to see where.</source>
        <translation>
            <numerusform>Found in %n session (commands, output, chat, notes); hover a session to see where.</numerusform>
            <numerusform>Found in %n sessions (commands, output, chat, notes); hover a session to see where.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::TeamSearchDialog</name>
    <message numerus="yes">
        <source>%n hit(s) shown</source>
        <translation>
            <numerusform>%n hit shown</numerusform>
            <numerusform>%n hits shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>casefile::TimelineModel</name>
    <message numerus="yes">
        <source>%n piece(s) of evidence</source>
        <translation>
            <numerusform>%n piece of evidence</numerusform>
            <numerusform>%n pieces of evidence</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) — %1</source>
        <translation>
            <numerusform>%n line — %1</numerusform>
            <numerusform>%n lines — %1</numerusform>
        </translation>
    </message>
</context>
</TS>
