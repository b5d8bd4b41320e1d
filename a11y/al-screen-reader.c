/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-a11y"
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "al-speech.h"

static gboolean
orca_process_running (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *comm = NULL;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "comm", NULL);
      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_equal (g_strchomp (comm), "orca"))
        return TRUE;
    }
  return FALSE;
}

/* Asks the accessibility bus launcher whether a screen reader is enabled;
 * without a session bus, looks for an orca process. */
gboolean
al_speech_screen_reader_running (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) value = NULL;

  if (bus != NULL)
    reply = g_dbus_connection_call_sync (bus, "org.a11y.Bus", "/org/a11y/bus",
                                         "org.freedesktop.DBus.Properties", "Get",
                                         g_variant_new ("(ss)", "org.a11y.Status",
                                                        "ScreenReaderEnabled"),
                                         G_VARIANT_TYPE ("(v)"),
                                         G_DBUS_CALL_FLAGS_NO_AUTO_START, 500, NULL, NULL);
  if (reply != NULL)
    {
      g_variant_get (reply, "(v)", &value);
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value))
        return TRUE;
    }
  return orca_process_running ();
}
