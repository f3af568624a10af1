<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CallText</name>
    <message>
        <location filename="../../ui/CallText.cpp" line="18"/>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="20"/>
        <source>No answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="22"/>
        <source>Canceled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="22"/>
        <source>Caller hung up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="24"/>
        <location filename="../../ui/CallText.cpp" line="38"/>
        <source>Call ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="26"/>
        <source>Answered on another device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="28"/>
        <source>Do not disturb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="31"/>
        <source>Unknown user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="33"/>
        <source>Unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="35"/>
        <source>Invalid user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallText.cpp" line="36"/>
        <source>Connection lost</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="13"/>
        <source>Desktop softphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="18"/>
        <source>Application server address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="20"/>
        <source>User name to sign in as.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="24"/>
        <source>Read the password from the first line of standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="28"/>
        <source>Start without showing the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="31"/>
        <source>Print a JSON line when the window is ready (benchmarks).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="36"/>
        <source>softphone:USER or tel:NUMBER to call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="53"/>
        <source>Only one URI may be given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="59"/>
        <source>Not a softphone: or tel: URI: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="68"/>
        <source>--server must be an http:// or https:// address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/AppOptions.cpp" line="74"/>
        <source>--password-stdin needs --server and --user.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::app::CallCoordinator</name>
    <message>
        <location filename="../../app/softphone/CallCoordinator.cpp" line="46"/>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/CallCoordinator.cpp" line="53"/>
        <source>Hang up the current call first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::app::SoftphoneApp</name>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="86"/>
        <source>Cannot open the history database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="194"/>
        <source>Enter your password to sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="195"/>
        <source>The system keychain is not available (%1). Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="271"/>
        <source>Your sign-in has expired. Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="282"/>
        <source>Your saved sign-in is no longer valid. Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="318"/>
        <source>signed in as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="337"/>
        <source>this account was opened elsewhere on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/softphone/SoftphoneApp.cpp" line="364"/>
        <source>Signed out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::CallWindow</name>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="25"/>
        <location filename="../../ui/CallWindow.cpp" line="87"/>
        <source>&amp;Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="26"/>
        <source>&amp;Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="27"/>
        <source>&amp;Hang up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="32"/>
        <source>Call with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="41"/>
        <source>Remote user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="44"/>
        <source>Subject: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="47"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="52"/>
        <source>Call status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="56"/>
        <source>Mute microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="59"/>
        <source>Show keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="62"/>
        <source>Hang up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="63"/>
        <source>Hang up (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="87"/>
        <source>Un&amp;mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="108"/>
        <source>Calling...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="108"/>
        <source>Connecting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/CallWindow.cpp" line="111"/>
        <source>Ringing...</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::ContactsPage</name>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="21"/>
        <source>&amp;Save contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="22"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="23"/>
        <source>Ca&amp;ll</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="27"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="29"/>
        <source>Contact list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="31"/>
        <source>Contact user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="33"/>
        <source>Contact display name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="35"/>
        <source>Save contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="37"/>
        <source>Remove contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="39"/>
        <source>Call contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="40"/>
        <source>Contacts status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="43"/>
        <source>User &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="45"/>
        <source>&amp;Display name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="89"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="103"/>
        <source>Enter the contact&apos;s user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="108"/>
        <source>The contact could not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="111"/>
        <source>Saved %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/ContactsPage.cpp" line="118"/>
        <source>Removed %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::DialerPage</name>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="19"/>
        <source>&amp;Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="25"/>
        <source>Dialer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="27"/>
        <source>User to call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="28"/>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="38"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="41"/>
        <source>Dialer status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/DialerPage.cpp" line="98"/>
        <source>Type the user name to call.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::HistoryPage</name>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="38"/>
        <source>Call &amp;back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="41"/>
        <source>Call history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="46"/>
        <source>Calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="49"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="49"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="49"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="49"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="53"/>
        <source>Call back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="81"/>
        <source>Outgoing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="83"/>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="85"/>
        <source>Incoming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="95"/>
        <source>Subject: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/HistoryPage.cpp" line="99"/>
        <source>%1 call, %2, %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::IncomingCallWindow</name>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="20"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="21"/>
        <source>&amp;Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="22"/>
        <source>&amp;Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="26"/>
        <source>Incoming call from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="32"/>
        <source>Caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="39"/>
        <source>Call status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="55"/>
        <source>Subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="61"/>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="62"/>
        <source>Answer (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="64"/>
        <source>Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/IncomingCallWindow.cpp" line="65"/>
        <source>Decline (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::Keypad</name>
    <message>
        <location filename="../../ui/Keypad.cpp" line="11"/>
        <source>Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/Keypad.cpp" line="22"/>
        <source>Key %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::MainWindow</name>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="47"/>
        <location filename="../../ui/MainWindow.cpp" line="48"/>
        <source>Softphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="52"/>
        <source>Sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="53"/>
        <source>&amp;Dialer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="54"/>
        <location filename="../../ui/MainWindow.cpp" line="222"/>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="55"/>
        <source>C&amp;ontacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="56"/>
        <location filename="../../ui/MainWindow.cpp" line="231"/>
        <source>&amp;Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="57"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="63"/>
        <source>Connection status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="65"/>
        <source>Push status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="67"/>
        <source>Missed calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="72"/>
        <source>&amp;Softphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="73"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="124"/>
        <source>Softphone - %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="149"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="152"/>
        <source>Connecting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="155"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="158"/>
        <source>Connection lost, reconnecting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="165"/>
        <source>Calls are possible once you are online (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="184"/>
        <source>Push: not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="190"/>
        <source>Push: registering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="193"/>
        <source>Push: ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="196"/>
        <source>Push: not working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="222"/>
        <source>&amp;History (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/MainWindow.cpp" line="223"/>
        <source>%n missed call(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/MainWindow.cpp" line="231"/>
        <source>&amp;Messages (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::MessagesPage</name>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="25"/>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="27"/>
        <source>sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="29"/>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="31"/>
        <source>not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="46"/>
        <source>&amp;Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="50"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="52"/>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="54"/>
        <source>Start a conversation with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="55"/>
        <source>New conversation: user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="57"/>
        <source>Messages in this conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="60"/>
        <source>Message text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="63"/>
        <source>Send message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="65"/>
        <source>Messaging status</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/MessagesPage.cpp" line="153"/>
        <source>%1 (%n unread)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="180"/>
        <source>Me, %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="181"/>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="197"/>
        <source>Sending messages is not available in this version yet; received messages are kept here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="200"/>
        <source>Offline: messages can be sent when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="202"/>
        <source>Choose a conversation or type a user name to start one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/MessagesPage.cpp" line="214"/>
        <source>The message could not be stored, so it was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::SettingsPage</name>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="29"/>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="37"/>
        <source>%1 (unavailable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="52"/>
        <source>&amp;Do not disturb (decline incoming calls, keep them in the history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="54"/>
        <source>Start &amp;minimized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="56"/>
        <source>&amp;Keep running in the background when the window is closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="59"/>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="62"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="68"/>
        <source>Microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="69"/>
        <source>Speaker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="70"/>
        <source>Ringer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="76"/>
        <source>Do not disturb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="78"/>
        <source>Start minimized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="80"/>
        <source>Keep running in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="82"/>
        <source>Push status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="86"/>
        <source>Signed-in account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="88"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="90"/>
        <source>Audio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="97"/>
        <source>&amp;Microphone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="98"/>
        <source>S&amp;peaker:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="99"/>
        <source>&amp;Ringer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="101"/>
        <source>Behaviour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="107"/>
        <source>Calls while the app is closed (push)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="111"/>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="162"/>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="163"/>
        <source>Signed in as %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="177"/>
        <source>Not set up: the background agent (softphone-tray) registers this device for calls while the app is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="185"/>
        <source>Not set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="188"/>
        <source>Registering...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="191"/>
        <source>Registered at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="194"/>
        <source>Not working: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="199"/>
        <source>Last push: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SettingsPage.cpp" line="201"/>
        <source>No push received yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>softphone::ui::SignInPage</name>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="18"/>
        <source>&amp;Remember me on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="19"/>
        <source>&amp;Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="23"/>
        <location filename="../../ui/SignInPage.cpp" line="44"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="25"/>
        <source>Sign in to your softphone account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="32"/>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="33"/>
        <source>https://phone.example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="35"/>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="37"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="40"/>
        <source>Remember me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="42"/>
        <source>Keeps a sign-in credential in the system keychain, never your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="47"/>
        <source>Sign-in status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="57"/>
        <source>Ser&amp;ver:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="58"/>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="59"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="107"/>
        <source>Signing in...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="122"/>
        <source>Wrong user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="127"/>
        <source>Cannot reach the server. Check the address and your network connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="130"/>
        <source>The server&apos;s certificate is not trusted, so the connection was not made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="133"/>
        <source>Too many failed attempts. Wait a minute and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="137"/>
        <source>The server address is not valid. It looks like https://phone.example.org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="140"/>
        <source>Signing in failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="160"/>
        <source>Enter your user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/SignInPage.cpp" line="165"/>
        <source>Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
