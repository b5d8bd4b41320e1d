/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-app"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "al-application.h"
#include "al-demo.h"
#include "al-keys.h"
#include "al-local-queue.h"
#include "al-quality.h"
#include "al-remote-queue.h"
#include "al-settings.h"
#include "al-speech-log.h"
#include "al-window.h"

struct _AlApplication
{
  GtkApplication parent_instance;

  AlOptions options;
  AlStore *store;
  AlQueue *queue;
  AlSpeech *speech;
  gboolean screen_reader;  /* one ran when voice mode started */
  AlSettings *settings;
  AlKeymap *keymap;
  char *keys_problem;
  FILE *event_log;
  gint64 started_us;
};

G_DEFINE_FINAL_TYPE (AlApplication, al_application, GTK_TYPE_APPLICATION)

/* The lab works in Dutch: without a language preference in the
 * environment, speak Dutch. gettext ignores LANGUAGE under the plain "C"
 * locale, so move to C.UTF-8 first. */
void
al_application_init_i18n (void)
{
  const char *messages;

  /* GTK would reset the locale to the environment's on start-up. */
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "");
  messages = setlocale (LC_MESSAGES, NULL);
  /* "C.UTF-8" is what containers and fresh machines set: no preference either. */
  if (messages == NULL || g_strcmp0 (messages, "C") == 0 || g_str_has_prefix (messages, "C.") ||
      g_strcmp0 (messages, "POSIX") == 0)
    {
      setlocale (LC_ALL, "C.UTF-8");
      if (g_getenv ("LANGUAGE") == NULL)
        {
          g_setenv ("LANGUAGE", "nl", TRUE);
          /* Dutch numbers have a decimal comma, where the machine has the locale. */
          setlocale (LC_NUMERIC, "nl_NL.UTF-8");
        }
    }
  if (g_file_test (ANNOLAB_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR) &&
      !g_file_test (LOCALEDIR "/nl/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", G_FILE_TEST_EXISTS))
    bindtextdomain (GETTEXT_PACKAGE, ANNOLAB_BUILD_LOCALEDIR);
  else
    bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static const GOptionEntry entries[] = {
  { "local", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Work on the local queue in FILE"), N_("FILE") },
  { "no-demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Do not add the demo tasks to an empty queue"),
    NULL },
  { "queue", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Work for the lab server at URL"), N_("URL") },
  { "token", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Your token for the lab server"), N_("TOKEN") },
  { "participant", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Your name on the local queue"),
    N_("NAME") },
  { "voice", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Voice mode: speak everything"), NULL },
  { "speech-log", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Write every utterance to FILE"),
    N_("FILE") },
  { "event-log", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write task, playback and speech events to FILE"), N_("FILE") },
  { "keys", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Read your own keys from FILE (default: ~/.config/annolab/keys.ini)"), N_("FILE") },
  { "plan", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Session plan, e.g. 45m/15mx4"), N_("PLAN") },
  { "warn", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Warnings before a break, e.g. 5m,1m"),
    N_("TIMES") },
  { "grace", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Time to finish a task when the break starts"),
    N_("TIME") },
  { "lang", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Language: nl or en"), N_("LANG") },
  { "audio-sink", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Audio output: auto or none"), N_("SINK") },
  { "speech-output", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Speech through auto, espeak or speech-dispatcher (shared with a screen reader)"),
    N_("OUTPUT") },
  { "text-scale", 0, 0, G_OPTION_ARG_INT, NULL, N_("Text size in percent, 100 to 200"),
    N_("PERCENT") },
  { NULL }
};

static int
al_application_handle_local_options (GApplication *app,
                                     GVariantDict *dict)
{
  AlApplication *self = AL_APPLICATION (app);
  AlOptions *o = &self->options;

  g_variant_dict_lookup (dict, "local", "^ay", &o->local_db);
  g_variant_dict_lookup (dict, "no-demo", "b", &o->no_demo);
  g_variant_dict_lookup (dict, "queue", "s", &o->queue_url);
  g_variant_dict_lookup (dict, "token", "s", &o->token);
  g_variant_dict_lookup (dict, "participant", "s", &o->participant);
  g_variant_dict_lookup (dict, "voice", "b", &o->voice);
  g_variant_dict_lookup (dict, "speech-log", "^ay", &o->speech_log);
  g_variant_dict_lookup (dict, "event-log", "^ay", &o->event_log);
  g_variant_dict_lookup (dict, "keys", "^ay", &o->keys);
  g_variant_dict_lookup (dict, "plan", "s", &o->plan);
  g_variant_dict_lookup (dict, "warn", "s", &o->warn);
  g_variant_dict_lookup (dict, "grace", "s", &o->grace);
  g_variant_dict_lookup (dict, "lang", "s", &o->language);
  g_variant_dict_lookup (dict, "audio-sink", "s", &o->sink);
  g_variant_dict_lookup (dict, "speech-output", "s", &o->speech_output);
  if (g_variant_dict_lookup (dict, "text-scale", "i", &o->text_scale) &&
      (o->text_scale < 100 || o->text_scale > 200))
    {
      g_printerr (_("annolab: --text-scale takes a percentage from 100 to 200\n"));
      return 2;
    }

  /* The participant's saved settings count where the command line is silent. */
  {
    g_autoptr (GError) error = NULL;

    if (!al_settings_load (self->settings, &error))
      g_printerr ("annolab: %s; using the standard settings\n", error->message);
    if (o->language == NULL && self->settings->language)
      o->language = g_strdup (self->settings->language);
    o->voice = o->voice || self->settings->voice;
    if (o->text_scale == 0)
      o->text_scale = self->settings->text_scale;
    if (o->speech_output == NULL)
      o->speech_output = g_strdup (al_speech_backend_to_string (self->settings->speech_output));
  }
  {
    AlSpeechBackend output;

    if (!al_speech_backend_from_string (o->speech_output, &output))
      {
        g_printerr (_("annolab: unknown speech output \"%s\"; use auto, espeak or "
                      "speech-dispatcher\n"),
                    o->speech_output);
        return 2;
      }
  }

  if (o->language)
    {
      if (g_strcmp0 (o->language, "nl") != 0 && g_strcmp0 (o->language, "en") != 0)
        {
          g_printerr (_("annolab: unknown language \"%s\"; use nl or en\n"), o->language);
          return 2;
        }
      g_setenv ("LANGUAGE", o->language, TRUE);
    }
  if (o->queue_url && o->token == NULL)
    {
      g_printerr (_("annolab: --queue needs --token as well\n"));
      return 2;
    }
  if (gdk_display_get_default () == NULL && g_getenv ("DISPLAY") == NULL &&
      g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr (_("annolab: no display found; start it in a graphical session "
                    "(or under Xvfb).\n"));
      return 1;
    }
  return -1;
}

static gboolean
open_local_queue (AlApplication *self,
                  GError       **error)
{
  AlOptions *o = &self->options;
  g_autofree char *path = NULL;
  g_autofree char *participant = NULL;

  path = o->local_db ? g_strdup (o->local_db)
                     : g_build_filename (g_get_user_data_dir (), "annolab", "local.db", NULL);
  self->store = al_store_open (path, error);
  if (self->store == NULL)
    return FALSE;
  al_store_set_scorer (self->store, al_quality_score, NULL);
  if (!o->no_demo && al_store_count_tasks (self->store) == 0 &&
      !al_demo_seed (self->store, error))
    return FALSE;
  participant = g_strdup (o->participant ? o->participant : g_get_user_name ());
  self->queue = AL_QUEUE (al_local_queue_new (self->store, participant, error));
  return self->queue != NULL;
}

static gboolean
open_remote_queue (AlApplication *self,
                   GError       **error)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "annolab", "workstation.db",
                                            NULL);

  /* Drafts and the outbox live on this machine, whatever the network does. */
  self->store = al_store_open (self->options.local_db ? self->options.local_db : path, error);
  if (self->store == NULL)
    return FALSE;
  self->queue = AL_QUEUE (al_remote_queue_new (self->options.queue_url, self->options.token,
                                               self->store, error));
  return self->queue != NULL;
}

/* Keys from the key map: the defaults, or the person's own key file (a
 * foot pedal that sends F5, say). A file that cannot be used leaves the
 * defaults in force, and the window says why. */
static void
load_keys (AlApplication *self)
{
  g_autofree char *user_file = g_build_filename (g_get_user_config_dir (), "annolab", "keys.ini",
                                                 NULL);
  g_auto (GStrv) actions = NULL;

  self->keymap = al_keys_load (self->options.keys ? self->options.keys : user_file,
                               self->options.keys != NULL, &self->keys_problem);
  if (self->keys_problem)
    g_printerr (_("annolab: your own keys are not used, the standard keys are: %s\n"),
                self->keys_problem);
  actions = al_keymap_list_actions (self->keymap);
  for (guint i = 0; actions[i]; i++)
    if (g_str_has_prefix (actions[i], "win.") || g_str_has_prefix (actions[i], "app."))
      gtk_application_set_accels_for_action (GTK_APPLICATION (self), actions[i],
                                             al_keymap_get (self->keymap, actions[i]));
}

static void
al_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (al_application_parent_class)->startup (app);
  load_keys (AL_APPLICATION (app));
}

/* Text scale through the font resolution, as the desktop's own setting
 * does, so every label and the canvas tags grow together. */
static void
apply_text_scale (AlApplication *self)
{
  GtkSettings *settings = gtk_settings_get_default ();

  if (self->options.text_scale >= 100 && settings)
    g_object_set (settings, "gtk-xft-dpi", 96 * 1024 * self->options.text_scale / 100, NULL);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GtkApplication *app = user_data;
  /* Closing a window removes it from the application's list: walk a copy. */
  GList *windows = g_list_copy (gtk_application_get_windows (app));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

/* The speech log has the start of each utterance; the event log its end,
 * on the same clock. */
static void
utterance_finished (AlApplication   *self,
                    const char      *text,
                    AlSpeechPriority priority,
                    const char      *language,
                    gboolean         completed)
{
  al_application_log_event (self, completed ? "speech-end" : "speech-cut", NULL, text);
}

/* Speech Dispatcher when asked for, or when a screen reader such as Orca
 * runs, so annolab and the screen reader share one voice queue; eSpeak NG
 * directly otherwise, and whenever Speech Dispatcher cannot be reached. */
static AlSpeech *
new_speech (AlApplication *self,
            GError       **error)
{
  const char *sink = g_strcmp0 (self->options.sink, "none") == 0 ? "none" : "auto";
  AlSpeechBackend output = AL_SPEECH_BACKEND_AUTO;

  al_speech_backend_from_string (self->options.speech_output, &output);
  self->screen_reader = al_speech_screen_reader_running ();
  if (output == AL_SPEECH_BACKEND_SPEECHD ||
      (output == AL_SPEECH_BACKEND_AUTO && self->screen_reader))
    {
      g_autoptr (GError) local = NULL;
      AlSpeech *speech = al_speech_new ("speechd", &local);

      if (speech)
        return speech;
      g_printerr (_("annolab: Speech Dispatcher cannot be used (%s); speaking with eSpeak NG\n"),
                  local->message);
    }
  return al_speech_new (sink, error);
}

static void
al_application_activate (GApplication *app)
{
  AlApplication *self = AL_APPLICATION (app);
  g_autoptr (GError) error = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window)
    {
      gtk_window_present (window);
      return;
    }
  apply_text_scale (self);
  if (self->options.event_log && self->event_log == NULL)
    {
      self->event_log = fopen (self->options.event_log, "ae");
      if (self->event_log == NULL)
        g_printerr ("annolab: cannot open the event log %s: %s\n", self->options.event_log,
                    g_strerror (errno));
    }
  if (self->options.voice && self->speech == NULL)
    {
      g_autoptr (GError) speech_error = NULL;
      /* Tests and machines without sound use the silent sink, which keeps
       * real time, so the task audio still waits for speech. */
      self->speech = new_speech (self, &speech_error);
      if (self->speech == NULL)
        g_printerr ("annolab: voice mode is not available: %s\n", speech_error->message);
      else if (self->options.speech_log &&
               !al_speech_set_log (self->speech, self->options.speech_log, &speech_error))
        g_printerr ("annolab: %s\n", speech_error->message);
      if (self->speech)
        al_speech_set_rate (self->speech, self->settings->speech_rate);
      if (self->speech)
        g_signal_connect_object (self->speech, "utterance-finished",
                                 G_CALLBACK (utterance_finished), self, G_CONNECT_SWAPPED);
    }

  if (self->queue == NULL &&
      !(self->options.queue_url ? open_remote_queue (self, &error)
                                : open_local_queue (self, &error)))
    {
      window = GTK_WINDOW (al_window_new_error (self, error->message));
      g_printerr ("annolab: %s\n", error->message);
    }
  else
    window = GTK_WINDOW (al_window_new (self));
  gtk_window_present (window);
}

static void
al_application_finalize (GObject *object)
{
  AlApplication *self = AL_APPLICATION (object);
  AlOptions *o = &self->options;

  g_clear_object (&self->queue);
  g_clear_object (&self->speech);
  g_clear_pointer (&self->store, al_store_unref);
  g_clear_pointer (&self->keymap, al_keymap_free);
  g_clear_pointer (&self->event_log, fclose);
  g_free (self->keys_problem);
  g_free (o->event_log);
  g_free (o->keys);
  g_clear_pointer (&self->settings, al_settings_free);
  g_free (o->local_db);
  g_free (o->queue_url);
  g_free (o->token);
  g_free (o->participant);
  g_free (o->speech_log);
  g_free (o->plan);
  g_free (o->warn);
  g_free (o->grace);
  g_free (o->language);
  g_free (o->sink);
  g_free (o->speech_output);
  G_OBJECT_CLASS (al_application_parent_class)->finalize (object);
}

static void
al_application_class_init (AlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = al_application_finalize;
  app_class->handle_local_options = al_application_handle_local_options;
  app_class->startup = al_application_startup;
  app_class->activate = al_application_activate;
}

static void
al_application_init (AlApplication *self)
{
  static const GActionEntry actions[] = {
    { "quit", quit_activated },
  };

  self->started_us = g_get_monotonic_time ();
  self->settings = al_settings_new (NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

AlApplication *
al_application_new (void)
{
  /* NON_UNIQUE: tests and a lab PC may run several workstations at once. */
  return g_object_new (AL_TYPE_APPLICATION, "application-id", "nl.annolab.Workstation", "flags",
                       G_APPLICATION_NON_UNIQUE, NULL);
}

const AlOptions *
al_application_get_options (AlApplication *self)
{
  return &self->options;
}

AlQueue *
al_application_get_queue (AlApplication *self)
{
  return self->queue;
}

AlStore *
al_application_get_store (AlApplication *self)
{
  return self->store;
}

gint64
al_application_started_us (AlApplication *self)
{
  return self->started_us;
}

AlSpeech *
al_application_get_speech (AlApplication *self)
{
  return self->speech;
}

/* A screen reader ran when voice mode started: it speaks what has the focus
 * (names, roles, descriptions), annolab the rest (docs/speech.md). */
gboolean
al_application_get_screen_reader (AlApplication *self)
{
  return self->speech != NULL && self->screen_reader;
}

AlSettings *
al_application_get_settings (AlApplication *self)
{
  return self->settings;
}

AlKeymap *
al_application_get_keymap (AlApplication *self)
{
  return self->keymap;
}

const char *
al_application_get_keys_problem (AlApplication *self)
{
  return self->keys_problem;
}

void
al_application_log_event (AlApplication *self,
                          const char    *event,
                          const char    *task_id,
                          const char    *detail)
{
  g_autofree char *clean = g_strdup (detail ? detail : "");

  g_return_if_fail (AL_IS_APPLICATION (self));
  if (self->event_log == NULL)
    return;
  /* One line, four columns, as the speech log keeps it. */
  g_strdelimit (clean, "\t\r\n", ' ');
  fprintf (self->event_log, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", al_process_uptime_ms (), event,
           task_id ? task_id : "-", clean);
  fflush (self->event_log);
}
