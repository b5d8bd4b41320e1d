/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-transcribe"

#include "config.h"

#include <glib/gi18n.h>

#include "al-annotate-resources.h"
#include "al-audio-decode.h"
#include "al-draft-words.h"
#include "al-player-panel.h"
#include "al-transcribe-editor.h"
#include "al-waveform.h"

/* Everything the editor does on a key. The window may give any of them
 * other keys (a foot pedal); these are the defaults. */
typedef enum
{
  ACT_TOGGLE,
  ACT_BACK,
  ACT_FORWARD,
  ACT_SLOWER,
  ACT_FASTER,
  ACT_REPLAY,
  ACT_READ_BACK,
  ACT_BEFORE,
  ACT_AFTER,
  ACT_MARK_1,
  N_ACTS = ACT_MARK_1 + 9,
  N_BUTTONS = ACT_READ_BACK,
} Act;

#define CONTEXT_SECONDS 3.0

static const AlEditorKey default_keys[N_ACTS] = {
  { "transcribe.play-pause", "<Control>space", N_("play or pause") },
  { "transcribe.back", "<Control>Left", N_("back 2 seconds") },
  { "transcribe.forward", "<Control>Right", N_("forward 2 seconds") },
  { "transcribe.slower", "<Control>Down", N_("slower") },
  { "transcribe.faster", "<Control>Up", N_("faster") },
  { "transcribe.replay", "<Control>r", N_("play the segment from the start") },
  { "transcribe.read-back", "<Control><Shift>r", N_("read back what you typed") },
  { "transcribe.before", "<Control><Shift>Left", N_("hear the 3 seconds before the segment") },
  { "transcribe.after", "<Control><Shift>Right", N_("hear the 3 seconds after the segment") },
  { "transcribe.mark-1", "<Alt>1;<Alt>KP_1", N_("insert a mark") },
  { "transcribe.mark-2", "<Alt>2;<Alt>KP_2", N_("insert a mark") },
  { "transcribe.mark-3", "<Alt>3;<Alt>KP_3", N_("insert a mark") },
  { "transcribe.mark-4", "<Alt>4;<Alt>KP_4", N_("insert a mark") },
  { "transcribe.mark-5", "<Alt>5;<Alt>KP_5", N_("insert a mark") },
  { "transcribe.mark-6", "<Alt>6;<Alt>KP_6", N_("insert a mark") },
  { "transcribe.mark-7", "<Alt>7;<Alt>KP_7", N_("insert a mark") },
  { "transcribe.mark-8", "<Alt>8;<Alt>KP_8", N_("insert a mark") },
  { "transcribe.mark-9", "<Alt>9;<Alt>KP_9", N_("insert a mark") },
};

struct _AlTranscribeEditor
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkFlowBox *controls;
  GtkLabel *instructions;
  GtkLabel *info;
  GtkLabel *marks_label;
  AlPlayerPanel *playback;
  AlWaveform *waveform;
  GtkTextView *text_view;
  GtkTextBuffer *buffer;
  GtkWidget *buttons[N_BUTTONS];
  GtkEventController *shortcuts;

  AlPlayer *player;  /* the panel's */
  AlDraftWords *draft;  /* a model's draft transcript, when the task has one */
  AlTask *task;
  char *sink;
  GCancellable *cancellable;
  gboolean loading;
  gboolean voice;
  gboolean tell_state;  /* the worker asked for play or pause */
  gboolean told_state;  /* the text field's description holds the state */
  char *field_description;  /* the text field's own: the instructions */
  gboolean compact;  /* large text: the player buttons without their keys */
  AlTranscribeEcho echo;
  gboolean patient;
  guint patient_source;
  gboolean held_for_typing;
  gboolean brief;    /* experienced verbosity: the description only when it matters */
  /* Set when an untouched model draft has been pointed out: the next
   * Ctrl+Enter without an edit in between sends it as it is. */
  gboolean draft_told;
};

static void editor_iface_init (AlEditorInterface *iface);

static char *get_text (AlTranscribeEditor *self);
static void update_playback_label (AlTranscribeEditor *self);
static void insert_mark (AlTranscribeEditor *self,
                         guint               index);

G_DEFINE_FINAL_TYPE_WITH_CODE (AlTranscribeEditor, al_transcribe_editor, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AL_TYPE_EDITOR, editor_iface_init))

static const char *
language_name (const char *code)
{
  if (g_strcmp0 (code, "nl") == 0)
    return _("Dutch");
  if (g_strcmp0 (code, "en") == 0)
    return _("English");
  return code;
}

static char *
segment_summary (AlTranscribeEditor *self)
{
  AlTask *task = self->task;
  double seconds = task->end > task->start ? task->end - task->start : 0;
  g_autofree char *position = NULL;
  g_autofree char *length = NULL;

  if (task->segment_count > 0)
    position = g_strdup_printf (_("Segment %d of %d"), task->segment_index, task->segment_count);
  else
    position = g_strdup (_("Recording"));
  if (seconds > 0)
    length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds",
                                           (gulong) (seconds + 0.5)),
                              (int) (seconds + 0.5));
  return g_strdup_printf ("%s, %s%s%s", position, length ? length : "", length ? ", " : "",
                          language_name (task->language));
}

/* Marks for what cannot be typed as words, in the recording's language
 * unless the task brings its own. */
static const char *const *
marks (AlTranscribeEditor *self)
{
  static const char *const nl[] = { "[onverstaanbaar]", "[aarzeling]", "[stilte]", "[geluid]",
                                    NULL };
  static const char *const en[] = { "[inaudible]", "[hesitation]", "[silence]", "[noise]", NULL };

  if (self->task && self->task->markup)
    return (const char *const *) self->task->markup;
  if (self->task && g_strcmp0 (self->task->language, "nl") == 0)
    return nl;
  return en;
}

static char *
keys_of (AlTranscribeEditor *self,
         Act                 act)
{
  return al_editor_keys_label_of (AL_EDITOR (self), default_keys[act].action);
}

static void
update_marks_label (AlTranscribeEditor *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *const *m = marks (self);

  for (int i = 0; m[i] && i < 9; i++)
    {
      g_autofree char *keys = keys_of (self, ACT_MARK_1 + i);
      if (keys)
        g_string_append_printf (text, "%s%s %s", text->len ? "   " : "", keys, m[i]);
    }
  gtk_label_set_text (self->marks_label, text->str);
}

static void
insert_mark (AlTranscribeEditor *self,
             guint               index)
{
  const char *const *m = marks (self);
  g_autofree char *text = NULL;
  g_autofree char *said = NULL;
  GtkTextIter cursor;

  if (index >= g_strv_length ((char **) m))
    return;
  gtk_text_buffer_get_iter_at_mark (self->buffer, &cursor,
                                    gtk_text_buffer_get_insert (self->buffer));
  /* Keep marks separate words so scoring can strip them cleanly. */
  text = g_strdup_printf ("%s ", m[index]);
  if (!gtk_text_iter_is_start (&cursor))
    {
      GtkTextIter before = cursor;
      gtk_text_iter_backward_char (&before);
      if (!g_unichar_isspace (gtk_text_iter_get_char (&before)))
        {
          g_autofree char *spaced = g_strconcat (" ", text, NULL);
          g_free (text);
          text = g_steal_pointer (&spaced);
        }
    }
  gtk_text_buffer_insert_at_cursor (self->buffer, text, -1);
  said = g_strdup_printf (_("Inserted %s"), m[index]);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
}

static void
run_act (AlTranscribeEditor *self,
         Act                 act)
{
  g_autofree char *said = NULL;

  switch (act)
    {
    case ACT_TOGGLE:
      self->tell_state = TRUE;
      al_player_toggle (self->player);
      break;
    case ACT_BACK:
      al_player_skip (self->player, -2.0);
      break;
    case ACT_FORWARD:
      al_player_skip (self->player, 2.0);
      break;
    case ACT_SLOWER:
    case ACT_FASTER:
      said = g_strdup_printf (_("Speed %.2f"), act == ACT_FASTER ? al_player_faster (self->player)
                                                                 : al_player_slower (self->player));
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
      update_playback_label (self);
      break;
    case ACT_REPLAY:
      al_player_replay (self->player);
      break;
    case ACT_READ_BACK:
      said = get_text (self);
      if (*g_strstrip (said))
        al_editor_emit_announce_in (AL_EDITOR (self), AL_SPEECH_INTERRUPT,
                                    self->task ? self->task->language : NULL, said);
      else
        al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, _("Nothing typed yet."));
      break;
    case ACT_BEFORE:
    case ACT_AFTER:
      /* The words around the segment help to hear a word cut at its edge. */
      if (!al_player_play_context (self->player, act == ACT_BEFORE ? -CONTEXT_SECONDS
                                                                   : CONTEXT_SECONDS))
        al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT,
                                 act == ACT_BEFORE ? _("Nothing comes before this segment.")
                                                   : _("Nothing comes after this segment."));
      break;
    default:
      insert_mark (self, act - ACT_MARK_1);
      break;
    }
}

static gboolean
shortcut_activated (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  run_act (AL_TRANSCRIBE_EDITOR (widget), GPOINTER_TO_INT (data));
  return TRUE;
}

static void
control_clicked (GtkButton          *button,
                 AlTranscribeEditor *self)
{
  int act = 0;

  while (act < N_BUTTONS - 1 && self->buttons[act] != GTK_WIDGET (button))
    act++;
  run_act (self, act);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static char *
get_text (AlTranscribeEditor *self)
{
  GtkTextIter start, end;
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

static gboolean
typing_rested (gpointer data)
{
  AlTranscribeEditor *self = data;

  self->patient_source = 0;
  if (self->held_for_typing)
    {
      self->held_for_typing = FALSE;
      al_player_hold (self->player, FALSE);
    }
  return G_SOURCE_REMOVE;
}

static void
buffer_changed (GtkTextBuffer      *buffer,
                AlTranscribeEditor *self)
{
  if (self->loading)
    return;
  self->draft_told = FALSE;
  al_editor_emit_changed (AL_EDITOR (self));
  /* Patient playback: listening waits while the person types. */
  if (self->patient && (al_player_get_playing (self->player) || self->held_for_typing))
    {
      if (!self->held_for_typing)
        {
          self->held_for_typing = TRUE;
          al_player_hold (self->player, TRUE);
        }
      g_clear_handle_id (&self->patient_source, g_source_remove);
      self->patient_source = g_timeout_add (1200, typing_rested, self);
    }
}

/* Voice mode says each word as it is finished with a space or a mark, or
 * each character as it is typed, or nothing: see set_echo. */
static void
text_inserted (GtkTextBuffer      *buffer,
               GtkTextIter        *location,
               const char         *text,
               int                 len,
               AlTranscribeEditor *self)
{
  GtkTextIter start, end;
  g_autofree char *word = NULL;

  if (self->loading || !self->voice || self->echo == AL_TRANSCRIBE_ECHO_NONE)
    return;
  if (self->echo == AL_TRANSCRIBE_ECHO_CHARACTERS)
    {
      g_autofree char *typed = g_strndup (text, len);
      if (g_utf8_strlen (typed, -1) != 1)
        return;
      if (g_unichar_isspace (g_utf8_get_char (typed)))
        al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, _("space"));
      else
        al_editor_emit_announce_in (AL_EDITOR (self), AL_SPEECH_INTERRUPT,
                                    self->task ? self->task->language : NULL, typed);
      return;
    }
  if (len != 1 || !(g_ascii_isspace (*text) || g_ascii_ispunct (*text)))
    return;
  end = *location;
  gtk_text_iter_backward_char (&end);
  start = end;
  while (!gtk_text_iter_is_start (&start))
    {
      GtkTextIter prev = start;
      gtk_text_iter_backward_char (&prev);
      if (g_unichar_isspace (gtk_text_iter_get_char (&prev)))
        break;
      start = prev;
    }
  word = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  /* The words are the recording's, and said with its voice. */
  if (*word)
    al_editor_emit_announce_in (AL_EDITOR (self), AL_SPEECH_INTERRUPT,
                                self->task ? self->task->language : NULL, word);
}

static void
update_playback_label (AlTranscribeEditor *self)
{
  /* At large text the recording's summary joins this line, a line saved. */
  al_player_panel_set_extra (self->playback, self->compact ? gtk_label_get_text (self->info)
                                                           : NULL);
  al_player_panel_update (self->playback);
  al_waveform_set_position (self->waveform, al_player_get_position (self->player));
}

static void
player_position (AlTranscribeEditor *self)
{
  al_waveform_set_position (self->waveform, al_player_get_position (self->player));
}

static void
player_playing (AlTranscribeEditor *self)
{
  al_waveform_set_position (self->waveform, al_player_get_position (self->player));
  /* GTK 4.8 cannot announce: a screen reader speaks a change of the focused
   * text field's description, so the state the worker asked for goes there.
   * Holds for speech change the state too, and are not told. */
  if (self->tell_state)
    {
      self->tell_state = FALSE;
      self->told_state = TRUE;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      al_player_get_playing (self->player) ? _("Playing")
                                                                           : _("Paused"),
                                      -1);
    }
}

static void
set_field_description (AlTranscribeEditor *self,
                       const char         *text)
{
  char *own = g_strdup (text);

  g_free (self->field_description);
  self->field_description = own;
  self->told_state = FALSE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, own, -1);
}

/* The state was said; once the focus has left the text field, where a
 * change is not said, it has its own description again, which a screen
 * reader reads with it when it comes back. */
static void
field_left (GtkEventControllerFocus *focus,
            AlTranscribeEditor      *self)
{
  if (self->told_state && self->field_description)
    set_field_description (self, self->field_description);
}

static void
player_error (AlTranscribeEditor *self,
              const char         *message)
{
  if (self->task)
    al_editor_emit_broken (AL_EDITOR (self), message);
}

typedef struct
{
  char *path;
  double start, end;
  double seconds; /* decoded length */
} PeaksJob;

static void
peaks_job_free (PeaksJob *job)
{
  g_free (job->path);
  g_free (job);
}

static void
peaks_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  PeaksJob *job = data;
  GError *error = NULL;
  g_autoptr (GArray) samples = al_audio_decode (job->path, job->start, job->end, 8000, &error);

  if (samples == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->seconds = samples->len / 8000.0;
  g_task_return_pointer (task, al_audio_peaks ((float *) (void *) samples->data, samples->len, 400),
                           (GDestroyNotify) g_array_unref);
}

static void
peaks_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (source);
  PeaksJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GArray) peaks = g_task_propagate_pointer (G_TASK (result), NULL);

  /* The player may not know the length yet; the decoded samples do. */
  if (peaks)
    al_waveform_set_peaks (self->waveform, peaks, al_player_get_duration (self->player) > 0
                                                    ? al_player_get_duration (self->player)
                                                    : job->seconds);
}

static void
load_waveform (AlTranscribeEditor *self)
{
  g_autoptr (GTask) gtask = NULL;
  PeaksJob *job = g_new0 (PeaksJob, 1);

  job->path = g_strdup (self->task->media);
  job->start = self->task->start;
  job->end = self->task->end;
  al_waveform_set_peaks (self->waveform, NULL, 0);
  gtask = g_task_new (self, self->cancellable, peaks_ready, NULL);
  g_task_set_task_data (gtask, job, (GDestroyNotify) peaks_job_free);
  g_task_run_in_thread (gtask, peaks_thread);
}

static void
al_transcribe_editor_load (AlEditor *editor,
                           AlTask   *task,
                           json_t   *draft)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  const char *text = json_string_value (json_object_get (draft, "text"));
  const char *instructions = al_task_instructions (task, al_editor_language ());

  /* No draft yet: the text field opens with the model's draft, if any. */
  if (text == NULL)
    text = al_draft_words_text_of (task);
  g_autofree char *summary = NULL;

  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  self->draft_told = FALSE;

  self->loading = TRUE;
  gtk_text_buffer_set_text (self->buffer, text ? text : "", -1);
  self->loading = FALSE;
  if (text)
    {
      GtkTextIter end;
      gtk_text_buffer_get_end_iter (self->buffer, &end);
      gtk_text_buffer_place_cursor (self->buffer, &end);
    }

  gtk_label_set_text (self->instructions, instructions ? instructions : "");
  /* A screen reader reads the description with the focused text field. */
  self->tell_state = FALSE;
  if (instructions && *instructions)
    set_field_description (self, instructions);
  summary = segment_summary (self);
  gtk_label_set_text (self->info, summary);
  update_playback_label (self);
  update_marks_label (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (!g_file_test (task->media, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *reason = g_strdup_printf (_("The recording %s is missing."), task->media);
      al_editor_emit_broken (editor, reason);
      return;
    }
  if (task->end > 0 && task->end <= task->start)
    {
      g_autofree char *reason = g_strdup_printf (_("The segment of %s has no length: it starts "
                                                   "and ends at %.1f seconds."),
                                                 task->media, task->start);
      al_editor_emit_broken (editor, reason);
      return;
    }
  /* Said first; in voice mode playback starts once it has been said. Brief:
   * only a language other than the session's is worth the time. */
  if (!self->brief)
    al_editor_emit_announce (editor, AL_SPEECH_QUEUE, summary);
  else if (g_strcmp0 (task->language, al_editor_language ()) != 0)
    al_editor_emit_announce (editor, AL_SPEECH_QUEUE, language_name (task->language));
  al_draft_words_load (self->draft, task, self->voice);
  al_player_load (self->player, task->media, task->start, task->end);
  load_waveform (self);
  al_editor_emit_ready (editor);
}

void
al_transcribe_editor_set_brief (AlTranscribeEditor *self,
                                gboolean            brief)
{
  g_return_if_fail (AL_IS_TRANSCRIBE_EDITOR (self));
  self->brief = brief;
}

static json_t *
al_transcribe_editor_get_result (AlEditor *editor)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);
  json_t *result = json_pack ("{s:s}", "text", g_strstrip (text));
  json_t *mark = al_draft_words_mark (self->draft, text);

  if (mark)
    json_object_set_new (result, "proposal", mark);
  return result;
}

static json_t *
al_transcribe_editor_get_draft (AlEditor *editor)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);

  return json_pack ("{s:s}", "text", text);
}

/* A model's draft sent exactly as it came is most often one nobody checked,
 * as with proposed boxes: the first Ctrl+Enter says so, the second sends
 * it (every word counted as accepted). @text is stripped. */
static gboolean
untouched_draft_ok (AlTranscribeEditor *self,
                    const char         *text,
                    char              **problem)
{
  const char *proposed = self->task ? al_draft_words_text_of (self->task) : NULL;
  g_autofree char *draft = proposed ? g_strstrip (g_strdup (proposed)) : NULL;
  g_autofree char *unsure_keys = NULL;
  g_autofree char *submit_keys = NULL;
  g_autofree char *left = NULL;
  g_autofree char *check = NULL;

  if (draft == NULL || *draft == '\0' || self->draft_told || !g_str_equal (text, draft))
    return TRUE;
  self->draft_told = TRUE;
  unsure_keys = al_editor_keys_label_of (AL_EDITOR (self), "transcribe.next-unsure");
  submit_keys = al_editor_keys_of (AL_EDITOR (self), "win.submit");
  left = al_draft_words_describe (self->draft);
  check = unsure_keys ? g_strdup_printf (_("The text is the model's draft, not changed yet. "
                                           "Listen and check it: %s selects the next unsure "
                                           "word."), unsure_keys)
                      : g_strdup (_("The text is the model's draft, not changed yet. Listen and "
                                    "check it."));
  *problem = g_strdup_printf (_("%s%s%s If it is right as it is, press %s again to send it."),
                              check, left ? " " : "", left ? left : "", submit_keys);
  return FALSE;
}

static gboolean
al_transcribe_editor_check (AlEditor *editor,
                            char    **problem)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);

  if (*g_strstrip (text) == '\0')
    {
      g_autofree char *keys = keys_of (self, ACT_TOGGLE);
      const char *silence = NULL;
      g_autofree char *mark_keys = NULL;
      g_autofree char *listen = NULL;
      g_autofree char *nothing = NULL;
      const char *const *m = marks (self);

      /* The mark for silence in the recording's own language, as the
       * marks line shows it: an English clip takes [silence]. */
      for (int i = 0; m[i] && i < 9 && silence == NULL; i++)
        if (g_str_equal (m[i], "[silence]") || g_str_equal (m[i], "[stilte]"))
          {
            silence = m[i];
            mark_keys = keys_of (self, ACT_MARK_1 + i);
          }
      listen = keys ? g_strdup_printf (_("The text field is still empty. Listen with %s and type "
                                         "what you hear."), keys)
                    : g_strdup (_("The text field is still empty. Listen and type what you hear."));
      if (silence && mark_keys)
        nothing = g_strdup_printf (_("If you hear nothing, press %s to type %s."), mark_keys,
                                   silence);
      else if (silence)
        nothing = g_strdup_printf (_("If you hear nothing, type %s."), silence);
      *problem = nothing ? g_strjoin (" ", listen, nothing, NULL) : g_steal_pointer (&listen);
      return FALSE;
    }
  return untouched_draft_ok (self, text, problem);
}

static char *
al_transcribe_editor_describe (AlEditor *editor)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);
  g_autofree char *summary = self->task ? segment_summary (self) : g_strdup ("");
  guint words = 0;
  g_auto (GStrv) parts = g_strsplit_set (text, " \t\n", -1);

  for (char **p = parts; *p; p++)
    words += **p != '\0';
  g_autofree char *typed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%s. You have typed %u word.",
                                                         "%s. You have typed %u words.", words),
                                            summary, words);
  g_autofree char *draft = al_draft_words_describe (self->draft);

  return draft ? g_strjoin (" ", typed, draft, NULL) : g_steal_pointer (&typed);
}

/* The key help names the marks of this task; keys for marks it does not
 * have are left out. */
static char *
al_transcribe_editor_describe_key (AlEditor   *editor,
                                   const char *action,
                                   const char *help)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  const char *const *m = marks (self);

  for (int i = 0; i < 9; i++)
    if (g_str_equal (action, default_keys[ACT_MARK_1 + i].action))
      return i < (int) g_strv_length ((char **) m) ? g_strdup_printf (_("insert the mark %s"), m[i])
                                                   : NULL;
  /* Unsure words come with a model's draft only. */
  if (g_str_has_suffix (action, "-unsure") && (self->task == NULL || self->task->proposal == NULL))
    return NULL;
  return g_str_has_prefix (action, "transcribe.") ? g_strdup (help) : NULL;
}

static void update_keys (AlTranscribeEditor *self);

static void
al_transcribe_editor_keys_changed (AlEditor   *editor,
                                   const char *action)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);

  if (self->draft && al_draft_words_set_keys (self->draft, action, al_editor_get_keys (editor, action)))
    return;
  /* Until the window is done, the editor is being made. */
  if (self->shortcuts && al_editor_key_index (default_keys, N_ACTS, action) >= 0)
    update_keys (self);
}

static void
editor_iface_init (AlEditorInterface *iface)
{
  iface->load = al_transcribe_editor_load;
  iface->get_result = al_transcribe_editor_get_result;
  iface->get_draft = al_transcribe_editor_get_draft;
  iface->check = al_transcribe_editor_check;
  iface->describe = al_transcribe_editor_describe;
  iface->describe_key = al_transcribe_editor_describe_key;
  iface->keys_changed = al_transcribe_editor_keys_changed;
}

static gboolean
al_transcribe_editor_grab_focus (GtkWidget *widget)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (widget);
  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
al_transcribe_editor_dispose (GObject *object)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->patient_source, g_source_remove);
  if (self->player)
    g_signal_handlers_disconnect_by_data (self->player, self);
  self->player = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_TRANSCRIBE_EDITOR);
  G_OBJECT_CLASS (al_transcribe_editor_parent_class)->dispose (object);
}

static void
al_transcribe_editor_finalize (GObject *object)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (object);

  g_clear_pointer (&self->task, al_task_unref);
  g_clear_object (&self->draft);
  g_clear_object (&self->cancellable);
  g_free (self->sink);
  g_free (self->field_description);
  G_OBJECT_CLASS (al_transcribe_editor_parent_class)->finalize (object);
}

static void
al_transcribe_editor_class_init (AlTranscribeEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_transcribe_editor_dispose;
  object_class->finalize = al_transcribe_editor_finalize;
  widget_class->grab_focus = al_transcribe_editor_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  /* Straight from the resource: the editors are in a static library, where
   * nothing else would pull the resource in. */
  {
    g_autoptr (GBytes) ui = g_resource_lookup_data (al_annotate_get_resource (),
                                                    "/nl/annolab/Annotate/al-transcribe-editor.ui",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    gtk_widget_class_set_template (widget_class, ui);
  }
  g_type_ensure (AL_TYPE_WAVEFORM);
  g_type_ensure (AL_TYPE_PLAYER_PANEL);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, box);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, controls);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, instructions);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, info);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, marks_label);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, playback);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, waveform);
  gtk_widget_class_bind_template_child (widget_class, AlTranscribeEditor, text_view);
}

/* Shortcuts, button labels and descriptions from the keys in force. */
static void
update_keys (AlTranscribeEditor *self)
{
  static const char *const without_key[N_BUTTONS] = {
    N_("Play / pause"), N_("Back 2 s"), N_("Forward 2 s"),
    N_("Slower"),       N_("Faster"),   N_("From the start"),
  };
  g_autofree char *toggle = keys_of (self, ACT_TOGGLE);
  g_autofree char *description = NULL;

  al_editor_update_shortcuts (AL_EDITOR (self), &self->shortcuts, default_keys, N_ACTS,
                              shortcut_activated);

  for (int i = 0; i < N_BUTTONS; i++)
    {
      g_autofree char *keys = keys_of (self, i);
      /* TRANSLATORS: a player button and its key, "Faster (Ctrl+Up)". */
      g_autofree char *label = keys ? g_strdup_printf (_("%s (%s)"), _(without_key[i]), keys)
                                    : g_strdup (_(without_key[i]));
      /* At large text the keys would push the buttons off the screen: they
       * stay in the accessible name, the tooltip and the key help. */
      gtk_button_set_label (GTK_BUTTON (self->buttons[i]),
                            self->compact ? _(without_key[i]) : label);
      gtk_widget_set_tooltip_text (self->buttons[i], self->compact ? label : NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  description = toggle ? g_strdup_printf (_("Type what you hear. %s plays or pauses."), toggle)
                       : g_strdup (_("Type what you hear."));
  set_field_description (self, description);
  update_marks_label (self);
}

static void
al_transcribe_editor_init (AlTranscribeEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_flow_box_set_max_children_per_line (self->controls, N_BUTTONS);
  for (int i = 0; i < N_BUTTONS; i++)
    {
      GtkWidget *b = gtk_button_new ();
      /* Buttons are for the mouse; the keys are faster and keep the
       * text field focused. */
      gtk_widget_set_focusable (b, FALSE);
      g_signal_connect (b, "clicked", G_CALLBACK (control_clicked), self);
      gtk_flow_box_append (self->controls, b);
      gtk_widget_set_focusable (gtk_widget_get_parent (b), FALSE);
      self->buttons[i] = b;
    }

  self->buffer = gtk_text_buffer_new (NULL);
  g_signal_connect (self->buffer, "changed", G_CALLBACK (buffer_changed), self);
  g_signal_connect_after (self->buffer, "insert-text", G_CALLBACK (text_inserted), self);
  gtk_text_view_set_buffer (self->text_view, self->buffer);
  g_object_unref (self->buffer);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();
    g_signal_connect (focus, "leave", G_CALLBACK (field_left), self);
    gtk_widget_add_controller (GTK_WIDGET (self->text_view), focus);
  }
  al_editor_describe_before_focus (GTK_WIDGET (self->text_view));

  al_editor_init_keys (AL_EDITOR (self), default_keys, N_ACTS);
  update_keys (self);
}

AlTranscribeEditor *
al_transcribe_editor_new (const char *sink)
{
  AlTranscribeEditor *self = g_object_new (AL_TYPE_TRANSCRIBE_EDITOR, NULL);

  self->sink = g_strdup (sink ? sink : "auto");
  al_player_panel_set_player (self->playback, AL_EDITOR (self), self->sink);
  al_player_panel_set_show_speed (self->playback, TRUE);
  self->player = al_player_panel_get_player (self->playback);
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (player_position), self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (player_playing), self);
  g_signal_connect_swapped (self->player, "ready", G_CALLBACK (player_position), self);
  g_signal_connect_swapped (self->playback, "error", G_CALLBACK (player_error), self);
  self->draft = al_draft_words_new (AL_EDITOR (self), self->text_view, G_OBJECT (self->player));
  gtk_box_insert_child_after (GTK_BOX (self->box), al_draft_words_get_note (self->draft),
                              GTK_WIDGET (self->instructions));
  {
    gsize n = 0;
    const AlEditorKey *keys = al_draft_words_default_keys (&n);

    for (gsize i = 0; i < n; i++)
      {
        g_auto (GStrv) accels = g_strsplit (keys[i].accels, ";", -1);
        al_editor_set_keys (AL_EDITOR (self), keys[i].action, (const char *const *) accels);
      }
  }
  return self;
}

void
al_transcribe_editor_set_voice (AlTranscribeEditor *self,
                                gboolean            voice)
{
  g_return_if_fail (AL_IS_TRANSCRIBE_EDITOR (self));
  self->voice = voice;
  al_player_panel_set_voice (self->playback, voice);
}

void
al_transcribe_editor_set_compact (AlTranscribeEditor *self,
                                  gboolean            compact)
{
  g_return_if_fail (AL_IS_TRANSCRIBE_EDITOR (self));
  if (self->compact == compact)
    return;
  self->compact = compact;
  al_draft_words_set_compact (self->draft, compact);
  gtk_box_set_spacing (GTK_BOX (self->box), compact ? 2 : 8);
  gtk_widget_set_visible (GTK_WIDGET (self->info), !compact);
  update_keys (self);
  update_playback_label (self);
}

void
al_transcribe_editor_set_echo (AlTranscribeEditor *self,
                               AlTranscribeEcho    echo)
{
  g_return_if_fail (AL_IS_TRANSCRIBE_EDITOR (self));
  self->echo = echo;
}

void
al_transcribe_editor_set_patient (AlTranscribeEditor *self,
                                  gboolean            patient)
{
  g_return_if_fail (AL_IS_TRANSCRIBE_EDITOR (self));
  self->patient = patient;
}

void
al_transcribe_editor_hold (AlTranscribeEditor *self,
                           gboolean            hold)
{
  g_return_if_fail (AL_IS_TRANSCRIBE_EDITOR (self));
  al_player_hold (self->player, hold);
}

GObject *
al_transcribe_editor_get_player (AlTranscribeEditor *self)
{
  g_return_val_if_fail (AL_IS_TRANSCRIBE_EDITOR (self), NULL);
  return G_OBJECT (self->player);
}

const AlEditorKey *
al_transcribe_editor_default_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (default_keys);
  return default_keys;
}

