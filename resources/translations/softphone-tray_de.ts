<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>softphone::tray::DesktopNotifier</name>
    <message>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <source>%1 is calling</source>
        <translation>%1 ruft an</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Verpasster Anruf</translation>
    </message>
    <message>
        <source>%1 called at %2</source>
        <translation>%1 hat um %2 angerufen</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Zurückrufen</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
    <message>
        <source>New message from %1</source>
        <translation>Neue Nachricht von %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>softphone::tray::PushHandoff</name>
    <message>
        <source>the softphone did not take the push in time</source>
        <translation>das Softphone hat die Push-Nachricht nicht rechtzeitig angenommen</translation>
    </message>
    <message>
        <source>the softphone refused the push: %1</source>
        <translation>das Softphone hat die Push-Nachricht abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>softphone::tray::PushRegistrar</name>
    <message>
        <source>Push subscription failed: %1</source>
        <translation>Push-Abonnement fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Application server: %1</source>
        <translation>Anwendungsserver: %1</translation>
    </message>
    <message>
        <source>Push registration failed: %1</source>
        <translation>Push-Registrierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The push service cannot be reached</source>
        <translation>Der Push-Dienst ist nicht erreichbar</translation>
    </message>
    <message>
        <source>The calling service cannot be reached</source>
        <translation>Der Anrufdienst ist nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>softphone::tray::TrayAgent</name>
    <message>
        <source>A push could not be handed to the softphone: %1</source>
        <translation>Eine Push-Nachricht konnte nicht an das Softphone übergeben werden: %1</translation>
    </message>
    <message>
        <source>the background agent (softphone-tray) is not running</source>
        <translation>der Hintergrunddienst (softphone-tray) läuft nicht</translation>
    </message>
    <message>
        <source>Your sign-in has expired</source>
        <translation>Ihre Anmeldung ist abgelaufen</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>The keychain is not available: %1</source>
        <translation>Der Schlüsselbund ist nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Wrong user name or password</source>
        <translation>Falscher Benutzername oder falsches Passwort</translation>
    </message>
    <message>
        <source>Cannot sign in: %1</source>
        <translation>Anmeldung nicht möglich: %1</translation>
    </message>
    <message>
        <source>the push service</source>
        <translation>der Push-Dienst</translation>
    </message>
</context>
<context>
    <name>softphone::tray::TrayIcon</name>
    <message>
        <source>&amp;Open softphone</source>
        <translation>Softphone ö&amp;ffnen</translation>
    </message>
    <message>
        <source>&amp;Call…</source>
        <translation>&amp;Anrufen…</translation>
    </message>
    <message>
        <source>Do not &amp;disturb</source>
        <translation>&amp;Nicht stören</translation>
    </message>
    <message>
        <source>Sign &amp;in…</source>
        <translation>An&amp;melden…</translation>
    </message>
    <message>
        <source>Sig&amp;n out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Softphone: signed out</source>
        <translation>Softphone: abgemeldet</translation>
    </message>
    <message>
        <source>Softphone: connecting…</source>
        <translation>Softphone: verbindet…</translation>
    </message>
    <message>
        <source>Softphone: do not disturb</source>
        <translation>Softphone: nicht stören</translation>
    </message>
    <message>
        <source>Softphone: online</source>
        <translation>Softphone: online</translation>
    </message>
    <message>
        <source>Softphone: offline</source>
        <translation>Softphone: offline</translation>
    </message>
    <message>
        <source>Softphone: push not working</source>
        <translation>Softphone: Push funktioniert nicht</translation>
    </message>
    <message>
        <source>Do not disturb is on</source>
        <translation>Nicht stören ist an</translation>
    </message>
    <message numerus="yes">
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n verpasster Anruf</numerusform>
            <numerusform>%n verpasste Anrufe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n ungelesene Nachricht</numerusform>
            <numerusform>%n ungelesene Nachrichten</numerusform>
        </translation>
    </message>
</context>
</TS>
