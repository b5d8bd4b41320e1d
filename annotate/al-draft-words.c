/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-draft"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "al-draft-words.h"
#include "al-proposal.h"

typedef enum
{
  ACT_NEXT_UNSURE,
  ACT_PREVIOUS_UNSURE,
  ACT_NEXT_WORD,
  ACT_PREVIOUS_WORD,
  ACT_SAY_WORD,
  N_ACTS
} Act;

/* Alt with the arrows was free in the transcription task (Ctrl with them
 * is the player's) and needs no chord that types. */
static const AlEditorKey default_keys[N_ACTS] = {
  { "transcribe.next-unsure", "<Alt>Right",
    N_ ("next / previous unsure word of the model's draft, "
        "selected: typing replaces it") },
  { "transcribe.previous-unsure", "<Alt>Left",
    N_ ("next / previous unsure word of the model's "
        "draft, selected: typing replaces it") },
  { "transcribe.next-word", "<Alt><Shift>Right", N_ ("next / previous word, selected and said") },
  { "transcribe.previous-word", "<Alt><Shift>Left",
    N_ ("next / previous word, selected and "
        "said") },
  { "transcribe.say-word", "<Alt>Up",
    N_ ("say the word at the cursor, and how sure the model "
        "was") },
};

struct _AlDraftWords
{
  GObject parent_instance;

  /* borrowed */
  AlEditor *editor;
  GtkTextView *view;
  GObject *player;

  /* owned */
  GtkWidget *note;
  AlTask *task;
  GPtrArray *tags; /* one per unsure word, with its confidence as data */
  GStrv keys[N_ACTS];
  GtkEventController *shortcuts;
  gboolean voice;
  gboolean read_out; /* the draft was read after the recording */
  char *description; /* the text field's own, for words the model was sure of */
  gboolean compact;  /* large text: a short note */
};

G_DEFINE_FINAL_TYPE (AlDraftWords, al_draft_words, G_TYPE_OBJECT)

static GtkTextBuffer *
buffer_of (AlDraftWords *self)
{
  return gtk_text_view_get_buffer (self->view);
}

static char *
keys_of (AlDraftWords *self, Act act)
{
  char *label = al_editor_keys_label ((const char *const *) self->keys[act]);

  return label ? label : g_strdup (_ ("(no key)"));
}

static const char *
language_of (AlDraftWords *self)
{
  return self->task ? self->task->language : NULL;
}

static void
clear_tags (AlDraftWords *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer_of (self));

  for (guint i = 0; i < self->tags->len; i++)
    gtk_text_tag_table_remove (table, g_ptr_array_index (self->tags, i));
  g_ptr_array_set_size (self->tags, 0);
}

static double
confidence_at (AlDraftWords *self, const GtkTextIter *at)
{
  for (guint i = 0; i < self->tags->len; i++)
    {
      GtkTextTag *tag = g_ptr_array_index (self->tags, i);
      if (gtk_text_iter_has_tag (at, tag))
        return *(double *) g_object_get_data (G_OBJECT (tag), "confidence");
    }
  return -1;
}

/* The word around @at (white space apart), FALSE between words. */
static gboolean
word_bounds (const GtkTextIter *at, GtkTextIter *start, GtkTextIter *end)
{
  *start = *at;
  *end = *at;
  while (!gtk_text_iter_is_start (start))
    {
      GtkTextIter prev = *start;
      gtk_text_iter_backward_char (&prev);
      if (g_unichar_isspace (gtk_text_iter_get_char (&prev)))
        break;
      *start = prev;
    }
  while (!gtk_text_iter_is_end (end) && !g_unichar_isspace (gtk_text_iter_get_char (end)))
    gtk_text_iter_forward_char (end);
  return !gtk_text_iter_equal (start, end);
}

/* Says @start..@end in the recording's language, then how unsure the model
 * was of it, which is also the text field's description. */
static void
say_range (AlDraftWords *self, const GtkTextIter *start, const GtkTextIter *end)
{
  g_autofree char *word = gtk_text_iter_get_text (start, end);
  double confidence = confidence_at (self, start);

  al_editor_emit_announce_in (self->editor, AL_SPEECH_INTERRUPT, language_of (self), word);
  if (confidence >= 0)
    {
      g_autofree char *note = g_strdup_printf (_ ("Unsure word: the model was %d%% sure."),
                                               (int) round (confidence * 100));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, note, -1);
      al_editor_emit_announce (self->editor, AL_SPEECH_QUEUE | AL_SPEECH_DESCRIBED, note);
    }
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    self->description ? self->description : "", -1);
}

static void
select_and_say (AlDraftWords *self, GtkTextIter *start, GtkTextIter *end)
{
  gtk_text_buffer_select_range (buffer_of (self), start, end);
  gtk_text_view_scroll_to_iter (self->view, start, 0.1, FALSE, 0, 0);
  say_range (self, start, end);
}

static void
cursor_range (AlDraftWords *self, GtkTextIter *from, GtkTextIter *to)
{
  if (!gtk_text_buffer_get_selection_bounds (buffer_of (self), from, to))
    {
      gtk_text_buffer_get_iter_at_mark (buffer_of (self), from,
                                        gtk_text_buffer_get_insert (buffer_of (self)));
      *to = *from;
    }
}

/* The unsure word after (@direction 1) or before (-1) the cursor or the
 * selection: the tags still in the text, in the text's order. */
static void
jump_unsure (AlDraftWords *self, int direction)
{
  GtkTextIter from, to, best_start, best_end;
  gboolean found = FALSE;

  cursor_range (self, &from, &to);
  for (guint i = 0; i < self->tags->len; i++)
    {
      GtkTextTag *tag = g_ptr_array_index (self->tags, i);
      GtkTextIter s, e;

      gtk_text_buffer_get_start_iter (buffer_of (self), &s);
      if (!gtk_text_iter_starts_tag (&s, tag) && !gtk_text_iter_forward_to_tag_toggle (&s, tag))
        continue; /* typed over: the word is gone */
      e = s;
      gtk_text_iter_forward_to_tag_toggle (&e, tag);
      if (direction > 0 ? gtk_text_iter_compare (&s, &to) < 0
                        : gtk_text_iter_compare (&s, &from) >= 0)
        continue;
      if (!found
          || (direction > 0 ? gtk_text_iter_compare (&s, &best_start) < 0
                            : gtk_text_iter_compare (&s, &best_start) > 0))
        {
          best_start = s;
          best_end = e;
          found = TRUE;
        }
    }
  if (found)
    {
      select_and_say (self, &best_start, &best_end);
      return;
    }
  al_editor_emit_announce (self->editor, AL_SPEECH_INTERRUPT,
                           self->tags->len == 0 ? _ ("This text has no unsure words.")
                           : direction > 0      ? _ ("No more unsure words after this one.")
                                                : _ ("No unsure words before this one."));
}

static void
step_word (AlDraftWords *self, int direction)
{
  GtkTextIter from, to, s, e;

  cursor_range (self, &from, &to);
  if (direction > 0)
    {
      s = to;
      while (!gtk_text_iter_is_end (&s) && !g_unichar_isspace (gtk_text_iter_get_char (&s)))
        gtk_text_iter_forward_char (&s);
      while (!gtk_text_iter_is_end (&s) && g_unichar_isspace (gtk_text_iter_get_char (&s)))
        gtk_text_iter_forward_char (&s);
      /* At the very start the first word is the next one. */
      if (gtk_text_iter_is_start (&from) && gtk_text_iter_equal (&from, &to)
          && !g_unichar_isspace (gtk_text_iter_get_char (&from)))
        s = from;
    }
  else
    {
      s = from;
      while (!gtk_text_iter_is_start (&s))
        {
          GtkTextIter prev = s;
          gtk_text_iter_backward_char (&prev);
          if (!g_unichar_isspace (gtk_text_iter_get_char (&prev)))
            break;
          s = prev;
        }
      if (gtk_text_iter_is_start (&s))
        {
          al_editor_emit_announce (self->editor, AL_SPEECH_INTERRUPT, _ ("Start of the text."));
          return;
        }
      gtk_text_iter_backward_char (&s);
    }
  if (!word_bounds (&s, &s, &e))
    {
      al_editor_emit_announce (self->editor, AL_SPEECH_INTERRUPT, _ ("End of the text."));
      return;
    }
  select_and_say (self, &s, &e);
}

static void
say_word (AlDraftWords *self)
{
  GtkTextIter from, to, s, e;

  cursor_range (self, &from, &to);
  if (!gtk_text_iter_equal (&from, &to))
    {
      say_range (self, &from, &to);
      return;
    }
  /* Right after a word, as after typing it, that word is meant. */
  s = from;
  if (!word_bounds (&s, &s, &e) && !gtk_text_iter_is_start (&from))
    {
      gtk_text_iter_backward_char (&s);
      word_bounds (&s, &s, &e);
    }
  if (gtk_text_iter_equal (&s, &e))
    al_editor_emit_announce (self->editor, AL_SPEECH_INTERRUPT, _ ("No word at the cursor."));
  else
    say_range (self, &s, &e);
}

static gboolean
shortcut_activated (GtkWidget *widget, GVariant *args, gpointer data)
{
  AlDraftWords *self = g_object_get_data (G_OBJECT (widget), "al-draft-words");
  Act act = GPOINTER_TO_INT (data);

  if (self == NULL || self->task == NULL)
    return FALSE;
  switch (act)
    {
    case ACT_NEXT_UNSURE:
    case ACT_PREVIOUS_UNSURE:
      jump_unsure (self, act == ACT_NEXT_UNSURE ? 1 : -1);
      break;
    case ACT_NEXT_WORD:
    case ACT_PREVIOUS_WORD:
      step_word (self, act == ACT_NEXT_WORD ? 1 : -1);
      break;
    default:
      say_word (self);
      break;
    }
  return TRUE;
}

static void
update_shortcuts (AlDraftWords *self)
{
  if (self->shortcuts)
    gtk_widget_remove_controller (GTK_WIDGET (self->view), self->shortcuts);
  self->shortcuts = gtk_shortcut_controller_new ();
  /* Capture phase: before the text field's own keys. */
  gtk_event_controller_set_propagation_phase (self->shortcuts, GTK_PHASE_CAPTURE);
  for (int act = 0; act < N_ACTS; act++)
    for (guint i = 0; self->keys[act][i]; i++)
      {
        GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (self->keys[act][i]);
        if (trigger == NULL)
          {
            g_warning ("%s: “%s” is not a key", default_keys[act].action, self->keys[act][i]);
            continue;
          }
        gtk_shortcut_controller_add_shortcut (
            GTK_SHORTCUT_CONTROLLER (self->shortcuts),
            gtk_shortcut_new (trigger, gtk_callback_action_new (shortcut_activated,
                                                                GINT_TO_POINTER (act), NULL)));
      }
  gtk_widget_add_controller (GTK_WIDGET (self->view), self->shortcuts);
}

/* In voice mode the draft is read once the recording has been heard the
 * first time, so that the person compares it with what they just heard. */
static void
player_finished (AlDraftWords *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (!self->voice || self->read_out || self->task == NULL || self->task->proposal == NULL)
    return;
  self->read_out = TRUE;
  gtk_text_buffer_get_bounds (buffer_of (self), &start, &end);
  text = gtk_text_buffer_get_text (buffer_of (self), &start, &end, FALSE);
  if (*g_strstrip (text) == '\0')
    return;
  al_editor_emit_announce (self->editor, AL_SPEECH_QUEUE, _ ("The model's draft:"));
  al_editor_emit_announce_in (self->editor, AL_SPEECH_QUEUE, language_of (self), text);
}

const char *
al_draft_words_text_of (AlTask *task)
{
  g_return_val_if_fail (task != NULL, NULL);
  return task->kind == AL_TASK_KIND_TRANSCRIBE
             ? json_string_value (json_object_get (task->proposal, "text"))
             : NULL;
}

/* The proposal's words, or its text's when it lists none. */
static char **
proposed_words (AlTask *task)
{
  json_t *words = json_object_get (task->proposal, "words");
  json_t *w;
  size_t i;
  GStrvBuilder *builder;

  if (json_array_size (words) == 0)
    return al_proposal_split_words (al_draft_words_text_of (task));
  builder = g_strv_builder_new ();
  json_array_foreach (words, i, w)
      g_strv_builder_add (builder, json_string_value (json_object_get (w, "word")));
  return g_strv_builder_end (builder);
}

/* Marks the proposal's unsure words where the text still has them: the
 * text may be a draft already corrected in part (after a restart). */
static guint
mark_unsure (AlDraftWords *self)
{
  GtkTextBuffer *buffer = buffer_of (self);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto (GStrv) draft = proposed_words (self->task);
  g_auto (GStrv) now = NULL;
  g_autofree int *kept = NULL;
  g_autofree int *unsure = NULL;
  AlProposalCounts counts;
  GtkTextIter it;
  guint n = 0, index = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  now = al_proposal_split_words (text);
  kept = g_new (int, g_strv_length (draft) + 1);
  al_proposal_align_words (draft, now, kept, &counts);
  /* For each word of the text, its proposed word's number if it is unsure. */
  unsure = g_new0 (int, g_strv_length (now) + 1);
  for (guint d = 0; draft[d]; d++)
    {
      double c = json_array_size (json_object_get (self->task->proposal, "words")) > 0
                     ? al_proposal_word_confidence (self->task->proposal, d)
                     : -1;
      if (kept[d] >= 0 && c >= 0 && c < AL_PROPOSAL_UNSURE)
        unsure[kept[d]] = (int) d + 1;
    }
  it = start;
  while (TRUE)
    {
      GtkTextIter s, e;

      while (!gtk_text_iter_is_end (&it) && g_unichar_isspace (gtk_text_iter_get_char (&it)))
        gtk_text_iter_forward_char (&it);
      if (gtk_text_iter_is_end (&it) || now[index] == NULL)
        break;
      word_bounds (&it, &s, &e);
      if (unsure[index] > 0)
        {
          GtkTextTag *tag = gtk_text_buffer_create_tag (
              buffer, NULL, "underline", PANGO_UNDERLINE_DOUBLE, "weight", PANGO_WEIGHT_BOLD,
              "background", "#ffe08a", "foreground", "#000000", NULL);
          double *c = g_new (double, 1);

          *c = al_proposal_word_confidence (self->task->proposal, unsure[index] - 1);
          g_object_set_data_full (G_OBJECT (tag), "confidence", c, g_free);
          gtk_text_buffer_apply_tag (buffer, tag, &s, &e);
          g_ptr_array_add (self->tags, tag);
          n++;
        }
      it = e;
      index++;
    }
  return n;
}

void
al_draft_words_load (AlDraftWords *self, AlTask *task, gboolean voice)
{
  g_autofree char *title = NULL;
  g_autofree char *next_keys = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *said = NULL;
  g_autofree char *rest = NULL;
  const char *model;
  GtkTextIter start;
  guint n;

  g_return_if_fail (AL_IS_DRAFT_WORDS (self));

  clear_tags (self);
  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  self->voice = voice;
  self->read_out = FALSE;
  gtk_widget_set_visible (self->note, task->proposal != NULL);
  if (task->proposal == NULL)
    return;

  n = mark_unsure (self);
  /* From the start, so that the first jump finds the first unsure word. */
  gtk_text_buffer_get_start_iter (buffer_of (self), &start);
  gtk_text_buffer_place_cursor (buffer_of (self), &start);
  title = al_proposal_title (task->proposal);
  next_keys = keys_of (self, ACT_NEXT_UNSURE);
  rest = n > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "its draft, to check against the recording. %u "
                                               "unsure word is underlined: %s selects it.",
                                               "its draft, to check against the recording. %u "
                                               "unsure words are underlined: %s selects the next.",
                                               n),
                                  n, next_keys)
               : g_strdup (_ ("its draft, to check against the recording."));
  /* Large text: a line, so that the text field keeps its room; the keys
   * are in the key help and said in voice mode. */
  if (self->compact)
    {
      g_free (rest);
      rest = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "its draft, %u unsure word underlined.",
                                           "its draft, %u unsure words underlined.", n),
                              n);
    }
  markup = g_markup_printf_escaped ("<b>%s</b>: %s", title, rest);
  gtk_label_set_markup (GTK_LABEL (self->note), markup);
  g_free (self->description);
  self->description = g_strdup (al_task_instructions (task, al_editor_language ()));
  /* Spoken shorter than shown: it is heard before every such recording. */
  model = json_string_value (json_object_get (task->proposal, "model"));
  if (n == 0)
    said = g_strdup_printf (_ ("Model proposal from %s: a draft to check."), model);
  else
    said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Model proposal from %s: a draft to check, %u unsure "
                                         "word. %s selects it.",
                                         "Model proposal from %s: a draft to check, %u unsure "
                                         "words. %s selects the next.",
                                         n),
                            model, n, next_keys);
  al_editor_emit_announce (self->editor, AL_SPEECH_QUEUE, said);
}

/* The unsure words still in the text: a word typed over has lost its tag. */
static guint
count_unsure_left (AlDraftWords *self)
{
  guint n = 0;

  for (guint i = 0; i < self->tags->len; i++)
    {
      GtkTextIter s;

      gtk_text_buffer_get_start_iter (buffer_of (self), &s);
      n += gtk_text_iter_starts_tag (&s, g_ptr_array_index (self->tags, i))
           || gtk_text_iter_forward_to_tag_toggle (&s, g_ptr_array_index (self->tags, i));
    }
  return n;
}

char *
al_draft_words_describe (AlDraftWords *self)
{
  guint n;

  g_return_val_if_fail (AL_IS_DRAFT_WORDS (self), NULL);
  if (self->task == NULL || self->task->proposal == NULL)
    return NULL;
  n = count_unsure_left (self);
  if (n == 0)
    return g_strdup (_ ("No unsure word of the model's draft is left."));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u unsure word of the model's draft is left.",
                                       "%u unsure words of the model's draft are left.", n),
                          n);
}

json_t *
al_draft_words_mark (AlDraftWords *self, const char *text)
{
  g_auto (GStrv) draft = NULL;
  g_auto (GStrv) now = NULL;
  AlProposalCounts counts;

  g_return_val_if_fail (AL_IS_DRAFT_WORDS (self), NULL);
  if (self->task == NULL || self->task->proposal == NULL)
    return NULL;
  draft = proposed_words (self->task);
  now = al_proposal_split_words (text);
  al_proposal_align_words (draft, now, NULL, &counts);
  return al_proposal_mark (self->task->proposal, &counts);
}

const AlEditorKey *
al_draft_words_default_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (default_keys);
  return default_keys;
}

gboolean
al_draft_words_set_keys (AlDraftWords *self, const char *action, const char *const *accels)
{
  g_return_val_if_fail (AL_IS_DRAFT_WORDS (self), FALSE);

  for (int act = 0; act < N_ACTS; act++)
    if (g_str_equal (default_keys[act].action, action))
      {
        g_strfreev (self->keys[act]);
        self->keys[act] = g_strdupv ((char **) (accels ? accels : (const char *const[]){ NULL }));
        update_shortcuts (self);
        return TRUE;
      }
  return FALSE;
}

void
al_draft_words_set_compact (AlDraftWords *self, gboolean compact)
{
  g_return_if_fail (AL_IS_DRAFT_WORDS (self));
  self->compact = compact;
}

GtkWidget *
al_draft_words_get_note (AlDraftWords *self)
{
  g_return_val_if_fail (AL_IS_DRAFT_WORDS (self), NULL);
  return self->note;
}

static void
al_draft_words_finalize (GObject *object)
{
  AlDraftWords *self = AL_DRAFT_WORDS (object);

  g_ptr_array_unref (self->tags);
  g_clear_pointer (&self->task, al_task_unref);
  g_clear_object (&self->note);
  g_free (self->description);
  for (int act = 0; act < N_ACTS; act++)
    g_strfreev (self->keys[act]);
  G_OBJECT_CLASS (al_draft_words_parent_class)->finalize (object);
}

static void
al_draft_words_class_init (AlDraftWordsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = al_draft_words_finalize;
}

static void
al_draft_words_init (AlDraftWords *self)
{
  self->tags = g_ptr_array_new ();
  self->note = g_object_ref_sink (gtk_label_new (NULL));
  gtk_label_set_wrap (GTK_LABEL (self->note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->note), 0);
  gtk_widget_add_css_class (self->note, "proposal-note");
  gtk_widget_set_visible (self->note, FALSE);
  for (int act = 0; act < N_ACTS; act++)
    self->keys[act] = g_strsplit (default_keys[act].accels, ";", -1);
}

AlDraftWords *
al_draft_words_new (AlEditor *editor, GtkTextView *view, GObject *player)
{
  AlDraftWords *self = g_object_new (AL_TYPE_DRAFT_WORDS, NULL);

  self->editor = editor;
  self->view = view;
  self->player = player;
  g_object_set_data (G_OBJECT (view), "al-draft-words", self);
  g_signal_connect_object (player, "finished", G_CALLBACK (player_finished), self,
                           G_CONNECT_SWAPPED);
  update_shortcuts (self);
  return self;
}
