/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-app"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <string.h>

#include "al-key-help-dialog.h"
#include "al-keys.h"
#include "al-window-actions.h"
#include "al-window-private.h"
#include "al-work-record.h"

/* Every action of the window, in one place: its name, default keys and
 * key help (for the key map, so keys.ini can move it), the name on its
 * button and menu item (which get the keys in force added), and what it
 * does. A new action is one more line in the table below. */

typedef struct
{
  AlKeyDefault key;
  const char *label;  /* untranslated; the button's and the menu item's name */
  int menu;           /* section of the menu from 1, 0: not in the menu */
  void (*activate) (AlWindow *self);
  void (*toggle) (AlWindow *self, gboolean on);  /* on or off: a check box in the menu */
} AlWindowAction;

static void where_am_i (AlWindow *self);
static void key_help (AlWindow *self);
static void ask_help (AlWindow *self);
static void reference (AlWindow *self);
static void take_pause (AlWindow *self);
static void export_record (AlWindow *self);
static void open_menu (AlWindow *self);
static void hush (AlWindow *self);

static const AlWindowAction actions[] = {
  { { "win.submit", "<Control>Return;<Control>KP_Enter", N_ ("submit") }, N_ ("Submit"), 0,
    al_window_submit },
  { { "win.where-am-i", "<Control>i", N_ ("where am I") }, N_ ("Where am I"), 1, where_am_i },
  { { "win.key-help", "F1", N_ ("this help") }, N_ ("Keys"), 1, key_help },
  { { "win.ask-help", "F2", N_ ("call the coach") }, N_ ("Call the coach"), 1, ask_help },
  { { "win.reference", "F3", N_ ("the reference answer of the last check task") },
    N_ ("Reference answer"), 1, reference },
  { { "win.pass", "F4", N_ ("pass on this task: I can't do this one") },
    N_ ("Pass on this task"), 1, al_window_pass },
  { { "win.pause", "<Control>p", N_ ("a short pause, and back to work") }, N_ ("Short pause"), 1,
    take_pause },
  { { "win.export-record", "<Control>e", N_ ("export my work record") },
    N_ ("Export my work record"), 1, export_record },
  { { "win.settings", "<Control>comma", N_ ("the settings") }, N_ ("Settings"), 2,
    al_window_settings_show },
  { { "win.high-contrast", "<Control><Shift>h", N_ ("high contrast on or off") },
    N_ ("High contrast"), 2, NULL, al_window_settings_set_contrast },
  { { "win.menu", "F10", N_ ("the menu") }, N_ ("Menu"), 0, open_menu },
  /* Ctrl alone, as in a screen reader: what annolab is saying stops. */
  { { "win.hush", "Control_L;Control_R", N_ ("stop speaking") }, N_ ("Stop speaking"), 0, hush },
  /* The application's own; listed for its key and its menu item. */
  { { "app.quit", "<Control>q", N_ ("quit") }, N_ ("Quit"), 3 },
  /* In the key help and the settings. */
  { { "dialog.close", "Escape", N_ ("close the key help or the settings") }, N_ ("Close") },
};

const AlKeyDefault *
al_window_actions_default_keys (gsize *n_keys)
{
  static AlKeyDefault keys[G_N_ELEMENTS (actions)];

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    keys[i] = actions[i].key;
  *n_keys = G_N_ELEMENTS (actions);
  return keys;
}

static AlKeymap *
keymap_of (AlWindow *self)
{
  return self->app ? al_application_get_keymap (self->app) : NULL;
}

char *
al_window_keys_of (AlWindow *self, const char *action)
{
  return al_keys_of (keymap_of (self), action);
}

char *
al_window_label (AlWindow *self, const char *action)
{
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (actions[i].key.action, action))
      return al_keys_label (keymap_of (self), _ (actions[i].label), action);
  g_return_val_if_reached (NULL);
}

/* The table entry of a window action, by its name ("win." left off). */
static const AlWindowAction *
entry_of (GSimpleAction *action)
{
  const char *name = g_action_get_name (G_ACTION (action));

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_has_prefix (actions[i].key.action, "win.")
        && g_str_equal (actions[i].key.action + 4, name))
      return &actions[i];
  g_return_val_if_reached (NULL);
}

static void
activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  const AlWindowAction *entry = entry_of (action);

  entry->activate (data);
}

static void
state_changed (GSimpleAction *action, GVariant *value, gpointer data)
{
  const AlWindowAction *entry = entry_of (action);

  entry->toggle (data, g_variant_get_boolean (value));
}

/* Menu items with their keys, built from the table so they follow the key
 * map; the menu itself also shows the key at the side. */
static GMenuModel *
make_menu (AlWindow *self)
{
  GMenu *menu = g_menu_new ();

  for (int section = 1; section <= 3; section++)
    {
      g_autoptr (GMenu) part = g_menu_new ();

      for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
        if (actions[i].menu == section)
          {
            g_autofree char *label = al_window_label (self, actions[i].key.action);
            g_menu_append (part, label, actions[i].key.action);
          }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (part));
    }
  return G_MENU_MODEL (menu);
}

static void
set_button (AlWindow *self, GtkWidget *button, const char *action)
{
  g_autofree char *label = al_window_label (self, action);

  if (GTK_IS_MENU_BUTTON (button))
    gtk_menu_button_set_label (GTK_MENU_BUTTON (button), label);
  else
    gtk_button_set_label (GTK_BUTTON (button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

void
al_window_actions_init (AlWindow *self)
{
  g_autoptr (GMenuModel) menu = NULL;
  g_autofree char *pause_keys = al_window_keys_of (self, "win.pause");
  g_autofree char *quit_keys = al_window_keys_of (self, "app.quit");

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      const AlWindowAction *entry = &actions[i];
      GSimpleAction *action;

      if (!g_str_has_prefix (entry->key.action, "win."))
        continue;
      if (entry->toggle)
        {
          action = g_simple_action_new_stateful (entry->key.action + 4, NULL,
                                                 g_variant_new_boolean (FALSE));
          g_signal_connect (action, "change-state", G_CALLBACK (state_changed), self);
        }
      else
        {
          action = g_simple_action_new (entry->key.action + 4, NULL);
          g_signal_connect (action, "activate", G_CALLBACK (activated), self);
        }
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
      g_object_unref (action);
    }

  menu = make_menu (self);
  gtk_menu_button_set_menu_model (self->menu_button, menu);
  set_button (self, GTK_WIDGET (self->menu_button), "win.menu");
  set_button (self, GTK_WIDGET (self->key_help_button), "win.key-help");
  set_button (self, GTK_WIDGET (self->ask_help_button), "win.ask-help");
  al_window_set_submit_label (self, FALSE);
  al_break_view_set_keys (self->break_view, pause_keys, quit_keys);
}

void
al_window_actions_set_enabled (AlWindow *self, const char *action, gboolean enabled)
{
  GAction *found = g_action_map_lookup_action (G_ACTION_MAP (self), action + strlen ("win."));

  if (found)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (found), enabled);
}

void
al_window_set_submit_label (AlWindow *self, gboolean next)
{
  g_autofree char *keys = al_editor_keys_label (
      keymap_of (self) ? al_keymap_get (keymap_of (self), "win.submit") : NULL);
  const char *name = next ? _ ("Next task") : _ ("Submit");
  g_autofree char *label = keys ? g_strdup_printf (_ ("%s (%s)"), name, keys) : g_strdup (name);

  gtk_button_set_label (self->submit_button, label);
}

static void
open_menu (AlWindow *self)
{
  gtk_menu_button_popup (self->menu_button);
}

static void
hush (AlWindow *self)
{
  AlSpeech *speech = self->app ? al_application_get_speech (self->app) : NULL;

  if (speech)
    al_speech_cancel (speech);
}

/* The dialogs close with the key of dialog.close (Escape) and give the
 * keyboard back to the task, also where no window manager does. */

static gboolean
close_dialog (GtkWidget *widget, GVariant *args, gpointer data)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (widget));
  g_autofree char *title = g_strdup (gtk_window_get_title (GTK_WINDOW (widget)));

  gtk_window_destroy (GTK_WINDOW (widget));
  if (parent)
    gtk_window_present (parent);
  if (AL_IS_WINDOW (parent))
    {
      al_window_reveal_focus (AL_WINDOW (parent));
      al_window_dialog_closed (AL_WINDOW (parent), title);
    }
  return TRUE;
}

static void
close_dialog_clicked (GtkWidget *dialog)
{
  close_dialog (dialog, NULL, NULL);
}

static gboolean
where_in_dialog (GtkWidget *widget, GVariant *args, gpointer data)
{
  AlWindow *parent = AL_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (widget)));
  g_autofree char *keys = al_window_keys_of (parent, "dialog.close");
  /* TRANSLATORS: the first %s is the dialog's title, the second the key that closes it. */
  g_autofree char *text = g_strdup_printf (_ ("You are in %s; %s closes it."),
                                           gtk_window_get_title (GTK_WINDOW (widget)), keys);

  al_window_speak (parent, AL_SPEECH_INTERRUPT, NULL, text);
  return TRUE;
}

static void
add_shortcuts (GtkEventController *keys, const char *const *accels, GtkShortcutFunc func)
{
  for (guint i = 0; accels && accels[i]; i++)
    {
      GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (accels[i]);
      if (trigger)
        gtk_shortcut_controller_add_shortcut (
            GTK_SHORTCUT_CONTROLLER (keys),
            gtk_shortcut_new (trigger, gtk_callback_action_new (func, NULL, NULL)));
    }
}

GtkWidget *
al_window_dialog_close_button (AlWindow *self, GtkWindow *dialog)
{
  g_autofree char *label = al_window_label (self, "dialog.close");
  GtkWidget *button = gtk_button_new_with_label (label);
  GtkEventController *keys = gtk_shortcut_controller_new ();
  const char *const *accels = keymap_of (self) ? al_keymap_get (keymap_of (self), "dialog.close")
                                               : NULL;

  g_signal_connect_swapped (button, "clicked", G_CALLBACK (close_dialog_clicked), dialog);
  add_shortcuts (keys, accels, close_dialog);
  /* "Where am I" answers in a dialog too: the modal dialog has the keys. */
  if (keymap_of (self))
    add_shortcuts (keys, al_keymap_get (keymap_of (self), "win.where-am-i"), where_in_dialog);
  gtk_widget_add_controller (GTK_WIDGET (dialog), keys);
  return button;
}

/* "Where am I" gets the notice band, in large type, not the status line. */
static void
tell_where (AlWindow *self, const char *text)
{
  al_window_show_notice (self, "where", text);
  al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, text);
}

static void
where_am_i (AlWindow *self)
{
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;
  g_autofree char *session = al_window_session_describe (self);

  if (!al_window_session_open (self))
    {
      tell_where (self, session);
      return;
    }
  if (self->reviewing)
    {
      g_autofree char *keys = al_window_keys_of (self, "win.submit");
      text = g_strdup_printf (_ ("Feedback on task %d today. %s Press %s for the next task. %s"),
                              self->review_number, self->review_words, keys, session);
      tell_where (self, text);
      return;
    }
  if (self->task == NULL)
    {
      text = g_strdup_printf ("%s %s", gtk_label_get_text (self->message_title), session);
      tell_where (self, text);
      return;
    }
  where = al_editor_describe (self->editors[self->task->kind]);
  text = g_strdup_printf (_ ("Task %d today. %s %s"), self->task->number_today, where ? where : "",
                          session);
  tell_where (self, text);
}

GPtrArray *
al_window_key_help (AlWindow *self)
{
  return al_keys_help (keymap_of (self), self->task ? self->editors[self->task->kind] : NULL);
}

static void
key_help (AlWindow *self)
{
  g_autoptr (GPtrArray) lines = al_window_key_help (self);
  g_autofree char *text = al_keys_help_text (lines);
  AlKeyHelpDialog *dialog;
  GtkWidget *button;

  /* In voice mode a list walked one key at a time, not a minute of words. */
  if (self->app && al_application_get_speech (self->app))
    {
      al_window_voice_key_list (self, text);
      return;
    }
  dialog = al_key_help_dialog_new (GTK_WINDOW (self), text, FALSE);
  al_window_style_dialog (self, GTK_WINDOW (dialog));
  button = al_window_dialog_close_button (self, GTK_WINDOW (dialog));
  al_key_help_dialog_set_close_button (dialog, button);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (button);
  /* The dialog is its place on screen; the status line keeps its own text. */
  al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, text);
}

static char *
describe_reference (AlWindow *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  json_t *boxes, *box;
  size_t i;

  if (self->reference_kind == AL_TASK_KIND_TRANSCRIBE)
    return g_strdup_printf (_ ("The reference transcript is: %s"),
                            json_string_value (json_object_get (self->reference, "text")));
  if (self->reference_kind == AL_TASK_KIND_CLASSIFY)
    {
      json_t *choices = json_object_get (self->reference, "choices"), *c;
      json_array_foreach (choices, i, c)
        g_string_append_printf (text, "%s%s", i ? ", " : "", json_string_value (c));
      if (json_array_size (choices) == 0)
        return g_strdup (_ ("The reference answer: none of the choices."));
      return g_strdup_printf (_ ("The reference answer is: %s."), text->str);
    }
  if (self->reference_kind == AL_TASK_KIND_VIDEO_BOXES)
    {
      json_t *tracks = json_object_get (self->reference, "tracks"), *track;
      json_array_foreach (tracks, i, track)
        {
          json_t *keys = json_object_get (track, "keyframes");
          double from = json_number_value (json_object_get (json_array_get (keys, 0), "t"));
          double to = json_number_value (json_object_get (
              json_array_get (keys, json_array_size (keys) - 1), "t"));
          g_string_append_printf (text, _ (" %s, keyframes from %.1f s to %.1f s;"),
                                  json_string_value (json_object_get (track, "label")), from, to);
        }
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The reference has %zu track:%s",
                                           "The reference has %zu tracks:%s",
                                           json_array_size (tracks)),
                              json_array_size (tracks), text->str);
    }
  boxes = json_object_get (self->reference, "boxes");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "The reference has %zu box:",
                                             "The reference has %zu boxes:",
                                             json_array_size (boxes)),
                          json_array_size (boxes));
  json_array_foreach (boxes, i, box)
    g_string_append_printf (text, " %s (x %.0f, y %.0f, %.0f × %.0f)%s",
                            json_string_value (json_object_get (box, "label")),
                            json_number_value (json_object_get (box, "x")),
                            json_number_value (json_object_get (box, "y")),
                            json_number_value (json_object_get (box, "w")),
                            json_number_value (json_object_get (box, "h")),
                            i + 1 < json_array_size (boxes) ? ";" : ".");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
reference (AlWindow *self)
{
  g_autofree char *text = NULL;

  if (self->reference == NULL)
    {
      al_window_announce (self, AL_SPEECH_INTERRUPT,
                          _ ("There is no reference answer to show: it comes after a practice "
                             "or check task."));
      return;
    }
  text = describe_reference (self);
  al_window_show_notice (self, NULL, text);
  if (self->reference_kind == AL_TASK_KIND_TRANSCRIBE && self->reference_language)
    {
      /* The lead-in in the session's language, the transcript in the recording's. */
      al_window_speak (self, AL_SPEECH_INTERRUPT, NULL, _ ("The reference transcript is:"));
      al_window_speak (self, AL_SPEECH_QUEUE, self->reference_language,
                       json_string_value (json_object_get (self->reference, "text")));
      gtk_label_set_text (self->status_label, text);
      return;
    }
  al_window_announce (self, AL_SPEECH_INTERRUPT, text);
}

static void
ask_help (AlWindow *self)
{
  g_autoptr (json_t) data = json_object ();

  if (self->task)
    json_object_set_new (data, "task_id", json_string (self->task->id));
  al_queue_post_event (self->queue, "help", data);
  al_window_show_notice (self, NULL, _ ("Your coach has been asked to come to you."));
  al_window_announce (self, AL_SPEECH_IMPORTANT, _ ("Your coach has been asked to come to you."));
}

/* The Documents folder (XDG), also where none has been set up yet: never
 * loose in the home folder. */
static char *
documents_dir (void)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (dir && g_strcmp0 (dir, g_get_home_dir ()) != 0)
    return g_strdup (dir);
  return g_build_filename (g_get_home_dir (), _ ("Documents"), NULL);
}

static char *
record_path (const char *extension)
{
  g_autofree char *dir = documents_dir ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf ("%s-%s.%s", _ ("annolab-work-record"), day, extension);

  return g_build_filename (dir, name, NULL);
}

/* On a workstation of its own the participant is the computer's login
 * unless told otherwise; the record carries the name the participant set,
 * or else the account's full name. */
static void
record_use_display_name (AlWindow *self, json_t *record)
{
  const char *name = json_string_value (json_object_get (record, "participant"));
  AlSettings *settings = al_application_get_settings (self->app);
  const char *own = settings ? settings->name : NULL;
  const char *real = g_get_real_name ();

  if (al_application_get_options (self->app)->participant != NULL ||
      g_strcmp0 (name, g_get_user_name ()) != 0)
    return;
  if (own && *own)
    json_object_set_new (record, "participant", json_string (own));
  else if (real && *real && g_strcmp0 (real, "Unknown") != 0)
    json_object_set_new (record, "participant", json_string (real));
}

static void
record_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (AlWindow) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (json_t) record = al_queue_record_finish (AL_QUEUE (source), result, &error);
  g_autofree char *html_path = record_path ("html");
  g_autofree char *json_path = record_path ("json");
  g_autofree char *html = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = documents_dir ();
  g_autofree char *file = g_path_get_basename (html_path);

  if (record)
    {
      record_use_display_name (self, record);
      html = al_work_record_to_html (record);
      json = al_work_record_to_json (record);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (errno), _ ("Cannot create %s."),
                     dir);
      else if (g_file_set_contents (json_path, json, -1, &error))
        g_file_set_contents (html_path, html, -1, &error);
    }
  if (error)
    {
      text = g_strdup_printf (_ ("Your work record could not be saved: %s"), error->message);
      al_window_show_notice (self, "error", text);
      al_window_announce (self, AL_SPEECH_IMPORTANT, text);
      return;
    }
  text = g_strdup_printf (_ ("Your work record has been saved as %s, ready to print."), html_path);
  al_window_show_notice (self, "good", text);
  gtk_label_set_text (self->status_label, text);
  {
    /* Said as a person finds it: the folder by its name, then the file. */
    g_autofree char *folder = g_path_get_basename (dir);
    g_autofree char *spoken = g_strdup_printf (_ ("Your work record has been saved in the folder "
                                                  "%s, as %s, ready to print."), folder, file);
    al_window_speak (self, AL_SPEECH_QUEUE, NULL, spoken);
  }
}

static void
export_record (AlWindow *self)
{
  al_queue_record_async (self->queue, self->cancellable, record_ready, g_object_ref (self));
}

static void
take_pause (AlWindow *self)
{
  al_window_session_toggle_pause (self);
}
