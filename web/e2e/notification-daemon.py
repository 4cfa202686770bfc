# A desktop notification daemon for the notify-click browser flow (web/e2e/notify-flows.mjs).
#
# Chromium on Linux shows a web page's notifications through the desktop's notification daemon:
# it calls org.freedesktop.Notifications.Notify on the D-Bus session bus, and a click in the
# desktop's notification popup comes back as the daemon's ActionInvoked(id, "default") signal,
# which Chromium turns into the service worker's `notificationclick`. Headless Chromium does the
# same. This daemon is that desktop: it prints each Notify/CloseNotification as a JSON line on
# stdout, and on a stdin line {"click": id} it emits ActionInvoked as a user's click would.
#
# Debian's python3-gi (GLib's own D-Bus implementation); run it with /usr/bin/python3.
import json
import sys

from gi.repository import Gio, GLib

XML = '''<node><interface name="org.freedesktop.Notifications">
<method name="GetCapabilities"><arg type="as" direction="out"/></method>
<method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
<arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
<arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/></method>
<method name="CloseNotification"><arg type="u" direction="in"/></method>
<method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
<arg type="s" direction="out"/><arg type="s" direction="out"/></method>
<signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
<signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
</interface></node>'''
PATH = '/org/freedesktop/Notifications'
IFACE = 'org.freedesktop.Notifications'
state = {'next': 1, 'conn': None}


def out(event):
    print(json.dumps(event), flush=True)


def on_call(conn, sender, path, iface, method, params, invocation):
    if method == 'GetCapabilities':
        invocation.return_value(GLib.Variant('(as)', (['actions', 'body', 'persistence'],)))
    elif method == 'GetServerInformation':
        invocation.return_value(GLib.Variant('(ssss)', ('confab-e2e', 'confab', '1', '1.2')))
    elif method == 'Notify':
        app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
        nid = replaces or state['next']
        state['next'] = max(state['next'], nid + 1)
        out({'event': 'notify', 'id': nid, 'replaces': replaces, 'summary': summary, 'body': body, 'actions': actions})
        invocation.return_value(GLib.Variant('(u)', (nid,)))
    elif method == 'CloseNotification':
        (nid,) = params.unpack()
        out({'event': 'close', 'id': nid})
        invocation.return_value(None)
        # Closed by the app: say so, as a daemon does (reason 3).
        conn.emit_signal(None, PATH, IFACE, 'NotificationClosed', GLib.Variant('(uu)', (nid, 3)))


def on_bus(conn, name):
    state['conn'] = conn
    conn.register_object(PATH, Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0], on_call, None, None)


def on_stdin(channel, condition):
    line = sys.stdin.readline()
    if not line:
        loop.quit()
        return False
    command = json.loads(line)
    if 'click' in command:
        state['conn'].emit_signal(None, PATH, IFACE, 'ActionInvoked', GLib.Variant('(us)', (command['click'], 'default')))
        out({'event': 'clicked', 'id': command['click']})
    return True


Gio.bus_own_name(Gio.BusType.SESSION, IFACE, Gio.BusNameOwnerFlags.NONE, on_bus,
                 lambda conn, name: out({'event': 'ready'}), lambda conn, name: out({'event': 'lost'}))
loop = GLib.MainLoop()
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
loop.run()
