<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CallText</name>
    <message>
        <location filename="../../ui/CallText.cpp" line="20"/>
        <source>Declined</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="22"/>
        <source>No answer</source>
        <translation>Keine Antwort</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="24"/>
        <source>Canceled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="24"/>
        <source>Caller hung up</source>
        <translation>Anrufer hat aufgelegt</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="26"/>
        <location filename="../../ui/CallText.cpp" line="40"/>
        <source>Call ended</source>
        <translation>Anruf beendet</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="28"/>
        <source>Answered on another device</source>
        <translation>Auf einem anderen Gerät angenommen</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="30"/>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="33"/>
        <source>Unknown user</source>
        <translation>Unbekannter Benutzer</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="35"/>
        <source>Unavailable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="37"/>
        <source>Invalid user name</source>
        <translation>Ungültiger Benutzername</translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="38"/>
        <source>Connection lost</source>
        <translation>Verbindung unterbrochen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="16"/>
        <source>Desktop softphone</source>
        <translation>Softphone für den Desktop</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="21"/>
        <source>Application server address.</source>
        <translation>Adresse des Anwendungsservers.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="23"/>
        <source>User name to sign in as.</source>
        <translation>Benutzername für die Anmeldung.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="27"/>
        <source>Read the password from the first line of standard input.</source>
        <translation>Das Passwort aus der ersten Zeile der Standardeingabe lesen.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="31"/>
        <source>Start without showing the window.</source>
        <translation>Starten, ohne das Fenster anzuzeigen.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="34"/>
        <source>Show the dialer, ready for whom to call.</source>
        <translation>Die Wählseite zeigen, bereit für die Eingabe, wen Sie anrufen möchten.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="37"/>
        <source>Print a JSON line when the window is ready (benchmarks).</source>
        <translation>Eine JSON-Zeile ausgeben, sobald das Fenster bereit ist (Benchmarks).</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="41"/>
        <source>Answer this incoming call (notification action).</source>
        <translation>Diesen eingehenden Anruf annehmen (Aktion der Benachrichtigung).</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="45"/>
        <source>Decline this incoming call (notification action).</source>
        <translation>Diesen eingehenden Anruf ablehnen (Aktion der Benachrichtigung).</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="49"/>
        <source>Allow an unencrypted http:// server other than this computer.</source>
        <translation>Einen unverschlüsselten http://-Server erlauben, der nicht auf diesem Computer läuft.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="60"/>
        <source>softphone:USER or tel:NUMBER to call.</source>
        <translation>Anzurufendes Ziel: softphone:BENUTZER oder tel:NUMMER.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="86"/>
        <source>--answer and --decline exclude each other.</source>
        <translation>--answer und --decline schließen sich gegenseitig aus.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="92"/>
        <source>Not a call id: %1</source>
        <translation>Keine Anruf-ID: %1</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="98"/>
        <source>Only one URI may be given.</source>
        <translation>Es darf nur eine URI angegeben werden.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="104"/>
        <source>Not a softphone: or tel: URI: %1</source>
        <translation>Keine softphone:- oder tel:-URI: %1</translation>
    </message>
    <message>
        <location filename="../../core/client/SignInArguments.cpp" line="18"/>
        <source>--password-stdin needs --server and --user.</source>
        <translation>--password-stdin benötigt --server und --user.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="53"/>
        <source>Colours: system (the desktop&apos;s), light or dark, for this run.</source>
        <translation>Farben: system (die des Desktops), light oder dark, für diesen Lauf.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="81"/>
        <source>--style takes system, light or dark, not %1</source>
        <translation>--style nimmt system, light oder dark, nicht %1</translation>
    </message>
</context>
<context>
    <name>softphone::app::AudioChecks</name>
    <message>
        <location filename="../../app/softphone/AudioChecks.cpp" line="52"/>
        <source>The call could not be placed.</source>
        <translation>Der Anruf konnte nicht aufgebaut werden.</translation>
    </message>
</context>
<context>
    <name>softphone::app::CallCoordinator</name>
    <message>
        <location filename="../../app/softphone/CallCoordinator.cpp" line="63"/>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/CallCoordinator.cpp" line="72"/>
        <location filename="../../app/softphone/CallCoordinator.cpp" line="90"/>
        <source>Hang up the current call first.</source>
        <translation>Beenden Sie zuerst den laufenden Anruf.</translation>
    </message>
</context>
<context>
    <name>softphone::app::SoftphoneApp</name>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="126"/>
        <source>Cannot open the history database: %1</source>
        <translation>Die Verlaufsdatenbank kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="285"/>
        <source>Enter your password to sign in.</source>
        <translation>Geben Sie Ihr Passwort ein, um sich anzumelden.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="286"/>
        <source>The system keychain is not available (%1). Enter your password.</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar (%1). Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="295"/>
        <source>Your sign-in has expired. Enter your password.</source>
        <translation>Ihre Anmeldung ist abgelaufen. Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="324"/>
        <source>Your saved sign-in is no longer valid. Enter your password.</source>
        <translation>Ihre gespeicherte Anmeldung ist nicht mehr gültig. Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="322"/>
        <source>the saved sign-in is no longer valid</source>
        <translation>die gespeicherte Anmeldung ist nicht mehr gültig</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="384"/>
        <source>signed in as %1</source>
        <translation>angemeldet als %1</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="408"/>
        <source>this account was opened elsewhere on this device</source>
        <translation>dieses Konto wurde an anderer Stelle auf diesem Gerät geöffnet</translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="296"/>
        <source>Signed out.</source>
        <translation>Abgemeldet.</translation>
    </message>
</context>
<context>
    <name>softphone::app::TrayPushStatus</name>
    <message>
        <location filename="../../app/softphone/TrayPushStatus.cpp" line="33"/>
        <source>an endpoint known to the background agent</source>
        <translation>einem dem Hintergrunddienst bekannten Endpunkt</translation>
    </message>
    <message>
        <location filename="../../app/softphone/TrayPushStatus.cpp" line="43"/>
        <source>a relayed push was refused (%1)</source>
        <translation>eine weitergeleitete Push-Nachricht wurde abgewiesen (%1)</translation>
    </message>
</context>
<context>
    <name>softphone::ui::AudioSettings</name>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="28"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="30"/>
        <source>%1 (unavailable)</source>
        <translation>%1 (nicht verfügbar)</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="32"/>
        <source>%1 (system default, in use)</source>
        <translation>%1 (Systemstandard, in Verwendung)</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="34"/>
        <source>%1 (system default)</source>
        <translation>%1 (Systemstandard)</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="36"/>
        <source>%1 (in use)</source>
        <translation>%1 (in Verwendung)</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="58"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="66"/>
        <source>Play &amp;test sound</source>
        <translation>Testton a&amp;bspielen</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="67"/>
        <source>Play test so&amp;und</source>
        <translation>Testton abs&amp;pielen</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="68"/>
        <source>Test &amp;call</source>
        <translation>Testanr&amp;uf</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="81"/>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="82"/>
        <source>Speaker</source>
        <translation>Lautsprecher</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="83"/>
        <source>Ringer</source>
        <translation>Klingelton</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="84"/>
        <source>Microphone level</source>
        <translation>Mikrofonpegel</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="85"/>
        <source>Play a test sound on the speaker</source>
        <translation>Einen Testton auf dem Lautsprecher abspielen</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="86"/>
        <source>Play a test sound on the ringer</source>
        <translation>Einen Testton auf dem Klingelton-Gerät abspielen</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="87"/>
        <source>Test call</source>
        <translation>Testanruf</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="88"/>
        <source>Test call result</source>
        <translation>Ergebnis des Testanrufs</translation>
    </message>
    <message>
        <location filename="../../ui/DeviceWarning.cpp" line="36"/>
        <source>Audio device warning</source>
        <translation>Warnung zum Audiogerät</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="201"/>
        <source>Speak: the bar moves when the microphone hears you.</source>
        <translation>Sprechen Sie: Der Balken bewegt sich, wenn das Mikrofon Sie hört.</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="196"/>
        <source>No microphone found</source>
        <translation>Kein Mikrofon gefunden</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="199"/>
        <source>No microphone</source>
        <translation>Kein Mikrofon</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="200"/>
        <source>No microphone is connected: there is nothing to measure.</source>
        <translation>Kein Mikrofon angeschlossen: Es gibt nichts zu messen.</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="222"/>
        <source>A test call needs a microphone: the echo service returns what you say, and none is connected.</source>
        <translation>Ein Testanruf braucht ein Mikrofon: Der Echodienst gibt zurück, was Sie sagen, und es ist keines angeschlossen.</translation>
    </message>
    <message>
        <location filename="../../ui/DeviceWarning.cpp" line="61"/>
        <source>No microphone is connected: calls can still be made and answered, but the other side cannot hear you. Plug one in, or choose one in the sound settings.</source>
        <translation>Kein Mikrofon angeschlossen: Anrufe können weiterhin getätigt und angenommen werden, aber die Gegenseite hört Sie nicht. Schließen Sie eines an oder wählen Sie eines in den Toneinstellungen.</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="94"/>
        <source>Calls the service&apos;s echo: you hear yourself a second later, and the round trip is measured. It hangs up by itself.</source>
        <translation>Ruft das Echo des Dienstes an: Sie hören sich eine Sekunde später, und die Umlaufzeit wird gemessen. Der Anruf endet von selbst.</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="109"/>
        <source>&amp;Microphone:</source>
        <translation>M&amp;ikrofon:</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="110"/>
        <source>Level:</source>
        <translation>Pegel:</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="112"/>
        <source>S&amp;peaker:</source>
        <translation>&amp;Lautsprecher:</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="113"/>
        <source>&amp;Ringer:</source>
        <translation>Klin&amp;gelton:</translation>
    </message>
    <message>
        <location filename="../../ui/DeviceWarning.cpp" line="71"/>
        <source>The chosen microphone (%1) is not connected: the system default is used until it is back.</source>
        <translation>Das gewählte Mikrofon (%1) ist nicht angeschlossen: Bis es wieder da ist, wird der Systemstandard verwendet.</translation>
    </message>
    <message>
        <location filename="../../ui/DeviceWarning.cpp" line="77"/>
        <source>The chosen speaker (%1) is not connected: the system default is used until it is back.</source>
        <translation>Der gewählte Lautsprecher (%1) ist nicht angeschlossen: Bis er wieder da ist, wird der Systemstandard verwendet.</translation>
    </message>
    <message>
        <location filename="../../ui/DeviceWarning.cpp" line="83"/>
        <source>The chosen ringer (%1) is not connected: the system default is used until it is back.</source>
        <translation>Das gewählte Klingelton-Gerät (%1) ist nicht angeschlossen: Bis es wieder da ist, wird der Systemstandard verwendet.</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="216"/>
        <source>round trip %1 ms</source>
        <translation>Umlaufzeit %1 ms</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="217"/>
        <source>round trip not measured yet</source>
        <translation>Umlaufzeit noch nicht gemessen</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="226"/>
        <source>Calling the echo service...</source>
        <translation>Echo-Dienst wird angerufen...</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="229"/>
        <source>Connected: speak, you hear yourself a second later (%1).</source>
        <translation>Verbunden: Sprechen Sie, Sie hören sich eine Sekunde später (%1).</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="232"/>
        <source>Test call finished: %1.</source>
        <translation>Testanruf beendet: %1.</translation>
    </message>
    <message>
        <location filename="../../ui/AudioSettings.cpp" line="235"/>
        <source>Test call failed: %1</source>
        <translation>Testanruf fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>softphone::ui::CallWindow</name>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="155"/>
        <source>Remote user&apos;s picture</source>
        <translation>Bild des Gesprächspartners</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="38"/>
        <location filename="../../ui/CallWindow.cpp" line="327"/>
        <source>&amp;Mute</source>
        <translation>&amp;Stummschalten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="40"/>
        <source>&amp;Keypad</source>
        <translation>&amp;Tastenfeld</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="49"/>
        <source>&amp;Hang up</source>
        <translation>&amp;Auflegen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="57"/>
        <source>Call with %1</source>
        <translation>Anruf mit %1</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="66"/>
        <source>Remote user</source>
        <translation>Gesprächspartner</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="69"/>
        <source>Subject: %1</source>
        <translation>Betreff: %1</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="72"/>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="77"/>
        <source>Call status</source>
        <translation>Anrufstatus</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="81"/>
        <location filename="../../ui/CallWindow.cpp" line="328"/>
        <source>Mute microphone</source>
        <translation>Mikrofon stummschalten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="109"/>
        <source>Show keypad</source>
        <translation>Tastenfeld anzeigen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="112"/>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="113"/>
        <source>Hang up (Esc)</source>
        <translation>Auflegen (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="120"/>
        <source>Digits received</source>
        <translation>Empfangene Ziffern</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="327"/>
        <source>Un&amp;mute</source>
        <translation>&amp;Stummschaltung aufheben</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="381"/>
        <source>Received: %1</source>
        <translation>Empfangen: %1</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="287"/>
        <source>Calling...</source>
        <translation>Anruf wird aufgebaut...</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="287"/>
        <source>Connecting...</source>
        <translation>Verbindung wird hergestellt...</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="290"/>
        <source>Ringing...</source>
        <translation>Es klingelt...</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="83"/>
        <location filename="../../ui/CallWindow.cpp" line="331"/>
        <source>Mute the microphone (Alt+M)</source>
        <translation>Mikrofon stummschalten (Alt+S)</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="85"/>
        <location filename="../../ui/CallWindow.cpp" line="91"/>
        <location filename="../../ui/CallWindow.cpp" line="97"/>
        <location filename="../../ui/CallWindow.cpp" line="329"/>
        <source>Microphone off</source>
        <translation>Mikrofon aus</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="328"/>
        <source>Unmute microphone</source>
        <translation>Mikrofon einschalten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="329"/>
        <source>Microphone on</source>
        <translation>Mikrofon an</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="330"/>
        <source>Unmute the microphone (Alt+M)</source>
        <translation>Mikrofon wieder einschalten (Alt+S)</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="340"/>
        <source>%1 - Microphone off</source>
        <translation>%1 - Mikrofon aus</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="41"/>
        <location filename="../../ui/CallWindow.cpp" line="350"/>
        <source>H&amp;old</source>
        <translation>&amp;Halten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="350"/>
        <source>Res&amp;ume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="125"/>
        <source>Hold or resume the call</source>
        <translation>Anruf halten oder fortsetzen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="128"/>
        <source>Hold status</source>
        <translation>Haltestatus</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="353"/>
        <source>On hold (by both sides)</source>
        <translation>Gehalten (von beiden Seiten)</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="355"/>
        <source>On hold</source>
        <translation>Gehalten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="357"/>
        <source>On hold by %1</source>
        <translation>Gehalten von %1</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="44"/>
        <source>&amp;Transfer</source>
        <translation>&amp;Weiterleiten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="132"/>
        <source>Transfer to user</source>
        <translation>Weiterleiten an Benutzer</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="133"/>
        <source>Transfer to...</source>
        <translation>Weiterleiten an ...</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="135"/>
        <source>Transfer the call</source>
        <translation>Anruf weiterleiten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="136"/>
        <source>Send the other side to this user and leave the call</source>
        <translation>Die Gegenseite an diesen Benutzer weiterleiten und den Anruf verlassen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="140"/>
        <source>Transfer the held call to this one</source>
        <translation>Den gehaltenen Anruf an diesen weiterleiten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="143"/>
        <source>Transfer status</source>
        <translation>Stand der Weiterleitung</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="261"/>
        <source>Transfer %1 to %2</source>
        <translation>%1 an %2 weiterleiten</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="263"/>
        <source>Connect %1 and %2 with each other and leave both calls</source>
        <translation>%1 und %2 miteinander verbinden und beide Anrufe verlassen</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="275"/>
        <source>%1 is now talking with %2</source>
        <translation>%1 spricht jetzt mit %2</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="276"/>
        <source>Transfer to %1 failed (%2)</source>
        <translation>Weiterleitung an %1 fehlgeschlagen (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="116"/>
        <source>Digits sent</source>
        <translation>Gesendete Ziffern</translation>
    </message>
</context>
<context>
    <name>softphone::ui::ContactsPage</name>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="25"/>
        <source>&amp;Save contact</source>
        <translation>Kontakt s&amp;peichern</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="26"/>
        <source>&amp;Remove</source>
        <translation>Ent&amp;fernen</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="27"/>
        <source>Ca&amp;ll</source>
        <translation>&amp;Anrufen</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="31"/>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="33"/>
        <source>Contact list</source>
        <translation>Kontaktliste</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="35"/>
        <source>Contact user name</source>
        <translation>Benutzername des Kontakts</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="37"/>
        <source>Contact display name</source>
        <translation>Anzeigename des Kontakts</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="39"/>
        <source>Save contact</source>
        <translation>Kontakt speichern</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="41"/>
        <source>Remove contact</source>
        <translation>Kontakt entfernen</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="43"/>
        <source>Call contact</source>
        <translation>Kontakt anrufen</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="44"/>
        <source>Contacts status</source>
        <translation>Status der Kontakte</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="47"/>
        <source>User &amp;name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="49"/>
        <source>&amp;Display name:</source>
        <translation>Anzei&amp;gename:</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="93"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="126"/>
        <source>Enter the contact&apos;s user name.</source>
        <translation>Geben Sie den Benutzernamen des Kontakts ein.</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="131"/>
        <source>The contact could not be saved.</source>
        <translation>Der Kontakt konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="134"/>
        <source>Saved %1.</source>
        <translation>%1 gespeichert.</translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="141"/>
        <source>Removed %1.</source>
        <translation>%1 entfernt.</translation>
    </message>
</context>
<context>
    <name>softphone::ui::DialerPage</name>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="23"/>
        <source>&amp;Call</source>
        <translation>&amp;Anrufen</translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="29"/>
        <source>Dialer</source>
        <translation>Wählen</translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="31"/>
        <source>User to call</source>
        <translation>Anzurufender Benutzer</translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="32"/>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="42"/>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="45"/>
        <source>Dialer status</source>
        <translation>Status der Wahl</translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="122"/>
        <source>Type the user name to call.</source>
        <translation>Geben Sie den Benutzernamen ein, den Sie anrufen möchten.</translation>
    </message>
</context>
<context>
    <name>softphone::ui::HistoryPage</name>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="46"/>
        <source>Call &amp;back</source>
        <translation>&amp;Zurückrufen</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="49"/>
        <source>Call history</source>
        <translation>Anrufverlauf</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="54"/>
        <source>Calls</source>
        <translation>Anrufe</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="57"/>
        <source>Call</source>
        <translation>Anruf</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="57"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="57"/>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="57"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="61"/>
        <source>Call back</source>
        <translation>Zurückrufen</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="193"/>
        <source>Outgoing</source>
        <translation>Ausgehend</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="195"/>
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="197"/>
        <source>Incoming</source>
        <translation>Eingehend</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="204"/>
        <source>Subject: %1</source>
        <translation>Betreff: %1</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="224"/>
        <source>%1 call, %2, %3, %4</source>
        <translation>Anruf (%1), %2, %3, %4</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="64"/>
        <location filename="../../ui/HistoryPage.cpp" line="65"/>
        <source>Search calls and contacts</source>
        <translation>Anrufe und Kontakte suchen</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="96"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="98"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="174"/>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="176"/>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="179"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="182"/>
        <source>Contact %1</source>
        <translation>Kontakt %1</translation>
    </message>
</context>
<context>
    <name>softphone::ui::IncomingCallWindow</name>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="37"/>
        <source>Caller&apos;s picture</source>
        <translation>Bild des Anrufers</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="22"/>
        <location filename="../../ui/IncomingCallWindow.cpp" line="124"/>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="24"/>
        <location filename="../../ui/IncomingCallWindow.cpp" line="121"/>
        <source>&amp;Answer</source>
        <translation>&amp;Annehmen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="26"/>
        <source>&amp;Decline</source>
        <translation>A&amp;blehnen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="31"/>
        <source>Incoming call from %1</source>
        <translation>Eingehender Anruf von %1</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="40"/>
        <source>Caller</source>
        <translation>Anrufer</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="47"/>
        <source>Call status</source>
        <translation>Anrufstatus</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="63"/>
        <source>Subject:</source>
        <translation>Betreff:</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="69"/>
        <location filename="../../ui/IncomingCallWindow.cpp" line="122"/>
        <source>Answer</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="70"/>
        <source>Answer (Enter)</source>
        <translation>Annehmen (Eingabetaste)</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="72"/>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="73"/>
        <source>Decline (Esc)</source>
        <translation>Ablehnen (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="27"/>
        <source>&amp;End and answer</source>
        <translation>&amp;Beenden und annehmen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="77"/>
        <source>End the current call and answer</source>
        <translation>Aktuellen Anruf beenden und annehmen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="121"/>
        <source>&amp;Hold and answer</source>
        <translation>&amp;Halten und annehmen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="122"/>
        <source>Hold the current call and answer</source>
        <translation>Aktuellen Anruf halten und annehmen</translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="124"/>
        <source>Call waiting</source>
        <translation>Anklopfen</translation>
    </message>
</context>
<context>
    <name>softphone::ui::Keypad</name>
    <message>
        <location filename="../../ui/Keypad.cpp" line="11"/>
        <source>Keypad</source>
        <translation>Tastenfeld</translation>
    </message>
    <message>
        <location filename="../../ui/Keypad.cpp" line="22"/>
        <source>Key %1</source>
        <translation>Taste %1</translation>
    </message>
</context>
<context>
    <name>softphone::ui::LinkCallDialog</name>
    <message>
        <location filename="../../ui/LinkCallDialog.cpp" line="13"/>
        <source>Call from a link</source>
        <translation>Anruf aus einem Link</translation>
    </message>
    <message>
        <location filename="../../ui/LinkCallDialog.cpp" line="16"/>
        <source>A link asks to call %1.

Call %1 now?</source>
        <translation>Ein Link möchte %1 anrufen.

%1 jetzt anrufen?</translation>
    </message>
    <message>
        <location filename="../../ui/LinkCallDialog.cpp" line="17"/>
        <source>&amp;Call</source>
        <translation>&amp;Anrufen</translation>
    </message>
    <message>
        <location filename="../../ui/LinkCallDialog.cpp" line="19"/>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
</context>
<context>
    <name>softphone::ui::MainWindow</name>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="49"/>
        <location filename="../../ui/MainWindow.cpp" line="50"/>
        <source>Softphone</source>
        <translation>Softphone</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="54"/>
        <source>Sections</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="55"/>
        <source>&amp;Dialer</source>
        <translation>&amp;Wählen</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="56"/>
        <location filename="../../ui/MainWindow.cpp" line="244"/>
        <source>&amp;History</source>
        <translation>&amp;Verlauf</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="57"/>
        <source>C&amp;ontacts</source>
        <translation>&amp;Kontakte</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="58"/>
        <location filename="../../ui/MainWindow.cpp" line="253"/>
        <source>&amp;Messages</source>
        <translation>&amp;Nachrichten</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="59"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="65"/>
        <source>Connection status</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="67"/>
        <source>Push status</source>
        <translation>Push-Status</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="69"/>
        <source>Missed calls</source>
        <translation>Verpasste Anrufe</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="74"/>
        <source>&amp;Softphone</source>
        <translation>&amp;Softphone</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="75"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="126"/>
        <source>Softphone - %1</source>
        <translation>Softphone - %1</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="151"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="154"/>
        <source>Connecting...</source>
        <translation>Verbindung wird hergestellt...</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="157"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="160"/>
        <source>Connection lost, reconnecting...</source>
        <translation>Verbindung unterbrochen, neuer Versuch...</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="167"/>
        <source>Calls are possible once you are online (%1).</source>
        <translation>Anrufe sind möglich, sobald Sie online sind (%1).</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="186"/>
        <source>Push: not set up</source>
        <translation>Push: nicht eingerichtet</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="192"/>
        <source>Push: registering</source>
        <translation>Push: wird registriert</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="195"/>
        <source>Push: ready</source>
        <translation>Push: bereit</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="198"/>
        <source>Push: not working</source>
        <translation>Push: funktioniert nicht</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="201"/>
        <source>Push: off</source>
        <translation>Push: aus</translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="244"/>
        <source>&amp;History (%1)</source>
        <translation>&amp;Verlauf (%1)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/MainWindow.cpp" line="245"/>
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n verpasster Anruf</numerusform>
            <numerusform>%n verpasste Anrufe</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="253"/>
        <source>&amp;Messages (%1)</source>
        <translation>&amp;Nachrichten (%1)</translation>
    </message>
</context>
<context>
    <name>softphone::ui::MessagesPage</name>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="25"/>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="27"/>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="29"/>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="31"/>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="46"/>
        <source>&amp;Send</source>
        <translation>Sen&amp;den</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="50"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="52"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="54"/>
        <source>Start a conversation with</source>
        <translation>Unterhaltung beginnen mit</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="55"/>
        <source>New conversation: user name</source>
        <translation>Neue Unterhaltung: Benutzername</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="57"/>
        <source>Messages in this conversation</source>
        <translation>Nachrichten dieser Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="60"/>
        <source>Message text</source>
        <translation>Nachrichtentext</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="63"/>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="65"/>
        <source>Messaging status</source>
        <translation>Status der Nachrichten</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/MessagesPage.cpp" line="153"/>
        <source>%1 (%n unread)</source>
        <translation>
            <numerusform>%1 (%n ungelesen)</numerusform>
            <numerusform>%1 (%n ungelesen)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="180"/>
        <source>Me, %1: %2</source>
        <translation>Ich, %1: %2</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="181"/>
        <source>%1, %2: %3</source>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="197"/>
        <source>Sending messages is not available in this version yet; received messages are kept here.</source>
        <translation>Das Senden von Nachrichten ist in dieser Version noch nicht möglich; empfangene Nachrichten werden hier aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="200"/>
        <source>Offline: messages can be sent when the connection is back.</source>
        <translation>Offline: Nachrichten können gesendet werden, sobald die Verbindung wieder besteht.</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="202"/>
        <source>Choose a conversation or type a user name to start one.</source>
        <translation>Wählen Sie eine Unterhaltung oder geben Sie einen Benutzernamen ein, um eine neue zu beginnen.</translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="214"/>
        <source>The message could not be stored, so it was not sent.</source>
        <translation>Die Nachricht konnte nicht gespeichert werden und wurde daher nicht gesendet.</translation>
    </message>
</context>
<context>
    <name>softphone::ui::QualityBars</name>
    <message>
        <location filename="../../ui/QualityBars.cpp" line="11"/>
        <source>Call quality</source>
        <translation>Gesprächsqualität</translation>
    </message>
    <message>
        <location filename="../../ui/QualityBars.cpp" line="12"/>
        <location filename="../../ui/QualityBars.cpp" line="24"/>
        <source>No figures yet</source>
        <translation>Noch keine Werte</translation>
    </message>
    <message>
        <location filename="../../ui/QualityBars.cpp" line="19"/>
        <source>Lost %1 %, jitter %2 ms</source>
        <translation>Verloren %1 %, Jitter %2 ms</translation>
    </message>
    <message>
        <location filename="../../ui/QualityBars.cpp" line="23"/>
        <source>, round trip %1 ms</source>
        <translation>, Umlaufzeit %1 ms</translation>
    </message>
    <message>
        <location filename="../../ui/QualityBars.cpp" line="26"/>
        <source>%1 of 4 bars; %2</source>
        <translation>%1 von 4 Balken; %2</translation>
    </message>
</context>
<context>
    <name>softphone::ui::SettingsPage</name>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="24"/>
        <source>&amp;Do not disturb (decline incoming calls, keep them in the history)</source>
        <translation>Nicht s&amp;tören (eingehende Anrufe ablehnen, im Verlauf behalten)</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="27"/>
        <source>&amp;Ask before calling from a link (softphone: or tel:)</source>
        <translation>Vor Anrufen aus einem Link &amp;fragen (softphone: oder tel:)</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="28"/>
        <source>Start &amp;minimized</source>
        <translation>&amp;Minimiert starten</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="30"/>
        <source>&amp;Keep running in the background when the window is closed</source>
        <translation>Im &amp;Hintergrund weiterlaufen, wenn das Fenster geschlossen wird</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="34"/>
        <source>Sign &amp;out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="37"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="39"/>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="41"/>
        <source>Ask before calling from a link</source>
        <translation>Vor Anrufen aus einem Link fragen</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="43"/>
        <source>Start minimized</source>
        <translation>Minimiert starten</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="45"/>
        <source>Keep running in the background</source>
        <translation>Im Hintergrund weiterlaufen</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="52"/>
        <source>Push status</source>
        <translation>Push-Status</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="56"/>
        <source>Signed-in account</source>
        <translation>Angemeldetes Konto</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="58"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="60"/>
        <source>Behaviour</source>
        <translation>Verhalten</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="74"/>
        <source>Calls while the app is closed (push)</source>
        <translation>Anrufe bei geschlossener App (Push)</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="78"/>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="140"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="141"/>
        <source>Signed in as %1 on %2</source>
        <translation>Angemeldet als %1 bei %2</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="148"/>
        <source>Not set up: the background agent (softphone-tray) registers this device for calls while the app is closed.</source>
        <translation>Nicht eingerichtet: Der Hintergrunddienst (softphone-tray) registriert dieses Gerät für Anrufe, während die App geschlossen ist.</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="156"/>
        <source>Not set up.</source>
        <translation>Nicht eingerichtet.</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="159"/>
        <source>Registering...</source>
        <translation>Wird registriert...</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="162"/>
        <source>Registered at %1.</source>
        <translation>Registriert bei %1.</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="165"/>
        <source>Not working: %1</source>
        <translation>Funktioniert nicht: %1</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="168"/>
        <source>Off: %1</source>
        <translation>Aus: %1</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="173"/>
        <source>Last push: %1</source>
        <translation>Letzte Push-Nachricht: %1</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="175"/>
        <source>No push received yet.</source>
        <translation>Noch keine Push-Nachricht empfangen.</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="47"/>
        <source>Colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="48"/>
        <source>As the desktop</source>
        <translation>Wie der Desktop</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="49"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="50"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="67"/>
        <source>Co&amp;lours:</source>
        <translation>Fa&amp;rben:</translation>
    </message>
</context>
<context>
    <name>softphone::ui::SignInPage</name>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="20"/>
        <source>&amp;Remember me on this computer</source>
        <translation>Auf diesem Computer an&amp;gemeldet bleiben</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="21"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="25"/>
        <location filename="../../ui/SignInPage.cpp" line="46"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="27"/>
        <source>Sign in to your softphone account</source>
        <translation>Bei Ihrem Softphone-Konto anmelden</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="34"/>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="35"/>
        <source>https://phone.example.org</source>
        <translation>https://phone.example.org</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="37"/>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="39"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="42"/>
        <source>Remember me</source>
        <translation>Angemeldet bleiben</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="44"/>
        <source>Keeps a sign-in credential in the system keychain, never your password</source>
        <translation>Speichert einen Anmeldenachweis im Schlüsselbund des Systems, niemals Ihr Passwort</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="49"/>
        <source>Sign-in status</source>
        <translation>Anmeldestatus</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="59"/>
        <source>Ser&amp;ver:</source>
        <translation>Ser&amp;ver:</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="60"/>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="61"/>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="109"/>
        <source>Signing in...</source>
        <translation>Anmeldung läuft...</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="124"/>
        <source>Wrong user name or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="129"/>
        <source>Cannot reach the server. Check the address and your network connection.</source>
        <translation>Der Server ist nicht erreichbar. Prüfen Sie die Adresse und Ihre Netzwerkverbindung.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="132"/>
        <source>The server&apos;s certificate is not trusted, so the connection was not made.</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut, daher wurde keine Verbindung hergestellt.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="135"/>
        <source>Too many failed attempts. Wait a minute and try again.</source>
        <translation>Zu viele fehlgeschlagene Versuche. Warten Sie eine Minute und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="139"/>
        <source>The server address is not valid. It looks like https://phone.example.org</source>
        <translation>Die Serveradresse ist ungültig. Sie sieht so aus: https://phone.example.org</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="142"/>
        <source>The connection to this server would not be encrypted (http://), so your password could be read on the network. Use an https:// address, or start the softphone with --allow-insecure for a server you trust.</source>
        <translation>Die Verbindung zu diesem Server wäre nicht verschlüsselt (http://), Ihr Passwort könnte im Netz mitgelesen werden. Verwenden Sie eine https://-Adresse oder starten Sie das Softphone mit --allow-insecure für einen Server, dem Sie vertrauen.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="147"/>
        <source>Signing in failed.</source>
        <translation>Die Anmeldung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="176"/>
        <source>Enter your user name.</source>
        <translation>Geben Sie Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="181"/>
        <source>Enter your password.</source>
        <translation>Geben Sie Ihr Passwort ein.</translation>
    </message>
</context>
<context>
    <name>softphone::ui::avatar</name>
    <message>
        <location filename="../../ui/Avatar.cpp" line="154"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ui/Avatar.cpp" line="160"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ui/Avatar.cpp" line="156"/>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
</context>
</TS>
