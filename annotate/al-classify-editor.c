/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-classify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "al-annotate-resources.h"
#include "al-classify-editor.h"
#include "al-frame-sink.h"
#include "al-player-panel.h"
#include "al-proposal.h"

typedef enum
{
  ACT_CHOICE_1,
  ACT_PLAY = ACT_CHOICE_1 + AL_TASK_MAX_CHOICES,
  ACT_REPLAY,
  ACT_READ,
  N_ACTS,
} Act;

/* Pictures are shown at most this wide or high: enough for a screen,
 * small enough to decode quickly. */
#define MAX_SIDE 2048

static const AlEditorKey default_keys[N_ACTS] = {
  { "classify.choice-1", "1;KP_1", N_("pick this choice") },
  { "classify.choice-2", "2;KP_2", N_("pick this choice") },
  { "classify.choice-3", "3;KP_3", N_("pick this choice") },
  { "classify.choice-4", "4;KP_4", N_("pick this choice") },
  { "classify.choice-5", "5;KP_5", N_("pick this choice") },
  { "classify.choice-6", "6;KP_6", N_("pick this choice") },
  { "classify.choice-7", "7;KP_7", N_("pick this choice") },
  { "classify.choice-8", "8;KP_8", N_("pick this choice") },
  { "classify.choice-9", "9;KP_9", N_("pick this choice") },
  { "classify.play-pause", "<Control>space", N_("play or pause the recording") },
  { "classify.replay", "<Control>r", N_("play the recording from the start") },
  { "classify.read", "<Control><Shift>r", N_("say the question, the choices and what you chose") },
};

struct _AlClassifyEditor
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *instructions;
  GtkPicture *picture;
  GtkLabel *info;
  AlPlayerPanel *playback;
  GtkLabel *hint;
  GtkLabel *proposal_note; /* says which choice the model proposed */
  GtkGrid *grid;
  GtkWidget *choices[AL_TASK_MAX_CHOICES];
  GtkLabel *choice_labels[AL_TASK_MAX_CHOICES];
  GtkEventController *shortcuts;

  AlPlayer *player;  /* the panel's */
  AlFrameSink *frames;  /* where a video's pictures go */
  AlTask *task;
  GCancellable *cancellable;
  gboolean loading;
  gboolean voice;
  /* The choices a model proposed (from the task's proposal), and how sure
   * it was (-1: it did not say). */
  gboolean proposed[AL_TASK_MAX_CHOICES];
  gboolean has_proposal;
  double confidence;
};

static void editor_iface_init (AlEditorInterface *iface);
static void show_proposal_note (AlClassifyEditor *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (AlClassifyEditor, al_classify_editor, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AL_TYPE_EDITOR, editor_iface_init))

static guint
n_choices (AlClassifyEditor *self)
{
  return self->task ? g_strv_length (self->task->choices) : 0;
}

/* Played: a recording, or a video clip with its sound. */
static gboolean
is_audio (AlClassifyEditor *self)
{
  return self->task && self->task->media_type != AL_TASK_MEDIA_IMAGE;
}

static gboolean
is_video (AlClassifyEditor *self)
{
  return self->task && self->task->media_type == AL_TASK_MEDIA_VIDEO;
}

static gboolean
choice_on (AlClassifyEditor *self,
           guint             i)
{
  GtkWidget *w = self->choices[i];

  return GTK_IS_CHECK_BUTTON (w) ? gtk_check_button_get_active (GTK_CHECK_BUTTON (w))
                                 : gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (w));
}

static void
set_choice (AlClassifyEditor *self,
            guint             i,
            gboolean          on)
{
  GtkWidget *w = self->choices[i];

  if (GTK_IS_CHECK_BUTTON (w))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (w), on);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (w), on);
}

static char *
keys_of (AlClassifyEditor *self,
         Act               act)
{
  return al_editor_keys_label_of (AL_EDITOR (self), default_keys[act].action);
}

/* "1 to 3": the digits that pick, for hints; NULL when moved off digits. */
static char *
choice_range (AlClassifyEditor *self)
{
  g_autofree char *first = keys_of (self, ACT_CHOICE_1);
  g_autofree char *last = keys_of (self, ACT_CHOICE_1 + MAX (n_choices (self), 1) - 1);

  if (first == NULL || last == NULL)
    return NULL;
  if (n_choices (self) <= 1)
    return g_steal_pointer (&first);
  /* TRANSLATORS: the keys of the first and the last choice, "1 to 3". */
  return g_strdup_printf (_("%s to %s"), first, last);
}

/* "1 muziek, 2 spraak, 3 stilte": each choice with its key. */
static char *
choices_text (AlClassifyEditor *self)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n_choices (self); i++)
    {
      g_autofree char *keys = keys_of (self, ACT_CHOICE_1 + i);
      g_string_append_printf (s, "%s%s%s%s", s->len ? ", " : "", keys ? keys : "",
                              keys ? " " : "", self->task->choices[i]);
    }
  return g_string_free (s, FALSE);
}

static char *
chosen_text (AlClassifyEditor *self)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < n_choices (self); i++)
    if (choice_on (self, i))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", self->task->choices[i]);
  if (s->len == 0)
    return g_strdup (_("Nothing chosen yet."));
  /* TRANSLATORS: what the participant picked, "You chose: muziek, spraak." */
  return g_strdup_printf (_("You chose: %s."), s->str);
}

static void
update_hint (AlClassifyEditor *self)
{
  g_autofree char *range = choice_range (self);
  g_autofree char *text = NULL;

  if (self->task == NULL)
    return;
  if (self->task->multiple)
    text = range ? g_strdup_printf (_("More than one may apply. Press %s to tick or untick a "
                                      "choice."), range)
                 : g_strdup (_("More than one may apply. Tick every choice that applies."));
  else
    text = range ? g_strdup_printf (_("Pick one answer with %s."), range)
                 : g_strdup (_("Pick one answer."));
  gtk_label_set_text (self->hint, text);
}

/* "kat, spraak": the proposed choices. */
static char *
proposed_text (AlClassifyEditor *self)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n_choices (self); i++)
    if (self->proposed[i])
      {
        /* TRANSLATORS: a choice's name in quotes, "“kat”". */
        g_autofree char *quoted = g_strdup_printf (_("“%s”"), self->task->choices[i]);
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", quoted);
      }
  return g_string_free (s, FALSE);
}

/* How sure the model was, in words first: "fairly sure, 70%". */
static char *
sureness_text (AlClassifyEditor *self)
{
  int pct = (int) (self->confidence * 100 + 0.5);

  if (self->confidence < 0)
    return g_strdup (_("it did not say how sure it was"));
  if (self->confidence >= 0.9)
    /* TRANSLATORS: how sure a model was of its proposal; %d is a percentage. */
    return g_strdup_printf (_("very sure, %d%%"), pct);
  if (self->confidence >= AL_PROPOSAL_UNSURE)
    return g_strdup_printf (_("fairly sure, %d%%"), pct);
  return g_strdup_printf (_("not sure, %d%%"), pct);
}

/* The note above the choices, and what voice mode says after them. */
static char *
proposal_text (AlClassifyEditor *self)
{
  g_autofree char *choices = proposed_text (self);
  g_autofree char *sure = sureness_text (self);
  g_autofree char *submit = al_editor_keys_of (AL_EDITOR (self), "win.submit");
  gboolean none = choices[0] == '\0';

  if (none)
    /* TRANSLATORS: a model proposed that none of the choices applies. */
    return g_strdup_printf (_("The model proposes none of the choices (%s). Check it: %s keeps "
                              "it."), sure, submit);
  if (self->task->multiple)
    return g_strdup_printf (_("The model proposes %s (%s); ticked already. Check it: %s keeps "
                              "it, a digit ticks or unticks a choice."), choices, sure, submit);
  return g_strdup_printf (_("The model proposes %s (%s); it is chosen already. Check it: %s "
                            "keeps it, a digit chooses another."), choices, sure, submit);
}

static void
show_proposal_note (AlClassifyEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markup = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->proposal_note), self->has_proposal);
  for (guint i = 0; i < n_choices (self); i++)
    if (self->proposed[i])
      gtk_widget_add_css_class (self->choices[i], "proposed");
    else
      gtk_widget_remove_css_class (self->choices[i], "proposed");
  if (!self->has_proposal)
    return;
  title = al_proposal_title (self->task->proposal);
  text = proposal_text (self);
  markup = g_markup_printf_escaped ("<b>%s</b>: %s", title, text);
  gtk_label_set_markup (self->proposal_note, markup);
}

static void
read_proposal (AlClassifyEditor *self)
{
  json_t *proposal = self->task->proposal;
  json_t *c = json_object_get (proposal, "confidence");
  json_t *name;
  size_t j;

  memset (self->proposed, 0, sizeof self->proposed);
  self->has_proposal = proposal != NULL;
  self->confidence = json_is_number (c) ? json_number_value (c) : -1;
  json_array_foreach (json_object_get (proposal, "choices"), j, name)
    for (guint i = 0; i < n_choices (self); i++)
      if (g_strcmp0 (self->task->choices[i], json_string_value (name)) == 0)
        self->proposed[i] = TRUE;
}

static void
update_playback_label (AlClassifyEditor *self)
{
  if (is_audio (self))
    al_player_panel_update (self->playback);
}

static guint
index_of (AlClassifyEditor *self,
          GtkWidget        *button)
{
  guint i = 0;

  while (i < AL_TASK_MAX_CHOICES && self->choices[i] != button)
    i++;
  return i;
}

static void
choice_toggled (GtkWidget        *button,
                AlClassifyEditor *self)
{
  guint i = index_of (self, button);
  gboolean on = choice_on (self, i);
  g_autofree char *said = NULL;

  if (self->loading || self->task == NULL || i >= n_choices (self))
    return;
  /* One answer: the button that went off says nothing, the new one does. */
  if (!self->task->multiple && !on)
    return;
  al_editor_emit_changed (AL_EDITOR (self));
  if (self->task->multiple)
    /* TRANSLATORS: a choice of several was ticked or unticked. */
    said = g_strdup_printf (on ? _("%s ticked") : _("%s unticked"), self->task->choices[i]);
  else
    /* TRANSLATORS: the one answer was picked. */
    said = g_strdup_printf (_("%s chosen"), self->task->choices[i]);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
}

static void
run_act (AlClassifyEditor *self,
         Act               act)
{
  if (self->task == NULL)
    return;
  if (act < ACT_PLAY)
    {
      guint i = act - ACT_CHOICE_1;
      if (i >= n_choices (self))
        {
          g_autofree char *range = choice_range (self);
          g_autofree char *text = g_strdup_printf (_("There is no choice %u here; the choices "
                                                     "are %s."), i + 1, range ? range : "");
          al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, text);
          return;
        }
      /* The answer already given is said again: a key press is never silent. */
      if (!self->task->multiple && choice_on (self, i))
        {
          g_autofree char *said = g_strdup_printf (_("%s chosen"), self->task->choices[i]);
          al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
        }
      set_choice (self, i, self->task->multiple ? !choice_on (self, i) : TRUE);
      gtk_widget_grab_focus (self->choices[i]);
      return;
    }
  if (act == ACT_READ)
    {
      const char *question = al_task_instructions (self->task, al_editor_language ());
      g_autofree char *choices = choices_text (self);
      g_autofree char *chosen = chosen_text (self);
      g_autofree char *proposal = self->has_proposal ? proposal_text (self) : NULL;
      g_autofree char *read = g_strdup_printf (_("%s Choices: %s. %s"), question ? question : "",
                                               choices, chosen);
      g_autofree char *text = proposal ? g_strdup_printf ("%s %s", read, proposal)
                                       : g_steal_pointer (&read);
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, g_strstrip (text));
      return;
    }
  if (!is_audio (self))
    return;
  if (act == ACT_PLAY)
    al_player_toggle (self->player);
  else
    al_player_replay (self->player);
}

static gboolean
shortcut_activated (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  run_act (AL_CLASSIFY_EDITOR (widget), GPOINTER_TO_INT (data));
  return TRUE;
}

static void
update_keys (AlClassifyEditor *self)
{
  al_editor_update_shortcuts (AL_EDITOR (self), &self->shortcuts, default_keys, N_ACTS,
                              shortcut_activated);
  /* The buttons' names carry their keys: "1: muziek". */
  for (guint i = 0; i < n_choices (self); i++)
    {
      g_autofree char *keys = keys_of (self, ACT_CHOICE_1 + i);
      g_autofree char *name = keys ? g_strdup_printf ("%s: %s", keys, self->task->choices[i])
                                   : g_strdup (self->task->choices[i]);
      /* In words, not by the dashed border alone. */
      g_autofree char *label = self->proposed[i]
                                   /* TRANSLATORS: a choice's button, "2: kat (model's proposal)" */
                                   ? g_strdup_printf (_("%s (model's proposal)"), name)
                                   : g_steal_pointer (&name);
      gtk_label_set_text (self->choice_labels[i], label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->choices[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  update_hint (self);
  show_proposal_note (self);
}

/* One button per choice: check buttons when several may apply, toggle
 * buttons in one group (like radio buttons) when one answer is asked. */
static void
make_choices (AlClassifyEditor *self)
{
  GtkWidget *first = NULL;
  guint columns = 3;

  /* Long choices get wider columns; the labels wrap, so that at twice
   * the text size the window still fits on the screen. */
  for (guint i = 0; i < n_choices (self); i++)
    if (g_utf8_strlen (self->task->choices[i], -1) > 16)
      columns = 2;
  for (guint i = 0; i < AL_TASK_MAX_CHOICES; i++)
    if (self->choices[i])
      {
        gtk_grid_remove (self->grid, self->choices[i]);
        self->choices[i] = NULL;
        self->choice_labels[i] = NULL;
      }
  for (guint i = 0; i < n_choices (self); i++)
    {
      GtkWidget *b = self->task->multiple ? gtk_check_button_new () : gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), columns == 3 ? 16 : 28);
      gtk_label_set_xalign (GTK_LABEL (label), self->task->multiple ? 0 : 0.5);
      gtk_label_set_justify (GTK_LABEL (label), self->task->multiple ? GTK_JUSTIFY_LEFT
                                                                     : GTK_JUSTIFY_CENTER);
      if (self->task->multiple)
        gtk_check_button_set_child (GTK_CHECK_BUTTON (b), label);
      else
        gtk_button_set_child (GTK_BUTTON (b), label);
      self->choice_labels[i] = GTK_LABEL (label);
      gtk_widget_set_focusable (b, TRUE);
      gtk_widget_add_css_class (b, "choice");
      gtk_widget_set_hexpand (b, TRUE);
      if (!self->task->multiple)
        {
          if (first)
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (b), GTK_TOGGLE_BUTTON (first));
          else
            first = b;
        }
      g_signal_connect (b, "toggled", G_CALLBACK (choice_toggled), self);
      gtk_grid_attach (self->grid, b, i % columns, i / columns, 1, 1);
      self->choices[i] = b;
    }
}

static void
player_error (AlClassifyEditor *self,
              const char       *message)
{
  if (self->task && is_audio (self))
    al_editor_emit_broken (AL_EDITOR (self), message);
}

static void
decode_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  const char *path = data;
  g_autofree char *name = g_path_get_basename (path);
  GError *error = NULL;
  GdkPixbuf *pixbuf;
  int width = 0, height = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                               _("The image %s is missing."), name);
      return;
    }
  if (gdk_pixbuf_get_file_info (path, &width, &height) == NULL || width <= 0 || height <= 0)
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               _("The image %s is not a picture annolab can read."), name);
      return;
    }
  pixbuf = gdk_pixbuf_new_from_file_at_scale (path, MIN (width, MAX_SIDE), MIN (height, MAX_SIDE),
                                              TRUE, &error);
  if (pixbuf == NULL)
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               _("The image %s is not a picture annolab can read."), name);
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
decoded (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  AlClassifyEditor *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (pixbuf == NULL)
        al_editor_emit_broken (AL_EDITOR (self), error->message);
      else
        {
          g_autoptr (GdkTexture) texture = gdk_texture_new_for_pixbuf (pixbuf);
          gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
          al_editor_emit_ready (AL_EDITOR (self));
        }
    }
  g_object_unref (self);
}

static char *
recording_summary (AlClassifyEditor *self)
{
  AlTask *task = self->task;
  double seconds = task->end > task->start ? task->end - task->start : 0;

  if (is_video (self))
    return seconds <= 0 ? g_strdup (_("Video clip"))
                        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Video clip, %d second",
                                                        "Video clip, %d seconds",
                                                        (gulong) (seconds + 0.5)),
                                           (int) (seconds + 0.5));
  if (seconds <= 0)
    return g_strdup (_("Recording"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recording, %d second",
                                       "Recording, %d seconds", (gulong) (seconds + 0.5)),
                          (int) (seconds + 0.5));
}

static void
restore (AlClassifyEditor *self,
         json_t           *draft)
{
  json_t *list = json_object_get (draft, "choices");
  size_t j;
  json_t *c;

  self->loading = TRUE;
  json_array_foreach (list, j, c)
    for (guint i = 0; i < n_choices (self); i++)
      if (g_strcmp0 (self->task->choices[i], json_string_value (c)) == 0)
        set_choice (self, i, TRUE);
  self->loading = FALSE;
}

static void
al_classify_editor_load (AlEditor *editor,
                         AlTask   *task,
                         json_t   *draft)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);
  const char *question = al_task_instructions (task, al_editor_language ());

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  al_player_pause (self->player);
  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);

  gtk_label_set_text (self->instructions, question ? question : _("Which choice fits?"));
  make_choices (self);
  read_proposal (self);
  update_keys (self);
  restore (self, draft);
  /* The proposal comes chosen: Ctrl+Enter after a look keeps it. A draft
   * has the person's own choices. */
  if (draft == NULL && self->has_proposal)
    {
      self->loading = TRUE;
      for (guint i = 0; i < n_choices (self); i++)
        if (self->proposed[i])
          set_choice (self, i, TRUE);
      self->loading = FALSE;
    }
  gtk_picture_set_paintable (self->picture, NULL);
  al_frame_sink_set_active (self->frames, is_video (self));
  gtk_widget_set_visible (GTK_WIDGET (self->picture), !is_audio (self) || is_video (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  is_video (self) ? _("Video") : _("Photo"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->info), is_audio (self));
  gtk_widget_set_visible (GTK_WIDGET (self->playback), is_audio (self));

  if (is_audio (self))
    {
      g_autofree char *summary = recording_summary (self);
      gtk_label_set_text (self->info, summary);
      if (!g_file_test (task->media, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *reason = g_strdup_printf (is_video (self)
                                                       ? _("The video %s is missing.")
                                                       : _("The recording %s is missing."),
                                                     task->media);
          al_editor_emit_broken (editor, reason);
          return;
        }
      al_player_load (self->player, task->media, task->start, task->end);
      update_playback_label (self);
      al_editor_emit_ready (editor);
    }
  else
    {
      g_autoptr (GTask) gtask = g_task_new (self, self->cancellable, decoded, g_object_ref (self));
      g_task_set_task_data (gtask, g_strdup (task->media), g_free);
      g_task_run_in_thread (gtask, decode_thread);
    }
}

static json_t *
al_classify_editor_get_draft (AlEditor *editor)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);
  json_t *list = json_array ();

  for (guint i = 0; i < n_choices (self); i++)
    if (choice_on (self, i))
      json_array_append_new (list, json_string (self->task->choices[i]));
  return json_pack ("{s:o}", "choices", list);
}

/* Items are the choices: one answer kept is accepted, another one is the
 * proposal changed; of several, each proposed choice kept is accepted,
 * unticked rejected, and each one ticked besides added. */
static json_t *
al_classify_editor_get_result (AlEditor *editor)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);
  json_t *result = al_classify_editor_get_draft (editor);
  AlProposalCounts counts = { 0 };
  gboolean same = TRUE;

  if (!self->has_proposal)
    return result;
  for (guint i = 0; i < n_choices (self); i++)
    {
      gboolean on = choice_on (self, i);
      same = same && on == self->proposed[i];
      counts.accepted += on && self->proposed[i];
      counts.rejected += !on && self->proposed[i];
      counts.added += on && !self->proposed[i];
    }
  if (!self->task->multiple)
    counts = same ? (AlProposalCounts) { .accepted = 1 } : (AlProposalCounts) { .changed = 1 };
  json_object_set_new (result, "proposal", al_proposal_mark (self->task->proposal, &counts));
  return result;
}

static gboolean
al_classify_editor_check (AlEditor *editor,
                          char    **problem)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);
  g_autofree char *range = NULL;

  if (self->task == NULL || self->task->multiple)
    return TRUE;  /* several may apply, and so may none */
  for (guint i = 0; i < n_choices (self); i++)
    if (choice_on (self, i))
      return TRUE;
  range = choice_range (self);
  *problem = range ? g_strdup_printf (_("No answer chosen yet. Pick one with %s."), range)
                   : g_strdup (_("No answer chosen yet. Pick one of the choices."));
  return FALSE;
}

static char *
al_classify_editor_describe (AlEditor *editor)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);
  g_autofree char *chosen = NULL;
  g_autofree char *summary = NULL;

  if (self->task == NULL)
    return g_strdup ("");
  chosen = chosen_text (self);
  summary = is_audio (self) ? recording_summary (self) : g_strdup (_("Photo"));
  if (self->has_proposal)
    {
      g_autofree char *proposal = proposal_text (self);
      return g_strdup_printf (_("Classification. %s. %s %s"), summary, chosen, proposal);
    }
  return g_strdup_printf (_("Classification. %s. %s"), summary, chosen);
}

/* The key help names this task's choices, and the player keys only for a
 * recording. */
static char *
al_classify_editor_describe_key (AlEditor   *editor,
                                 const char *action,
                                 const char *help)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);

  for (guint i = 0; i < AL_TASK_MAX_CHOICES; i++)
    if (g_str_equal (action, default_keys[ACT_CHOICE_1 + i].action))
      return i < n_choices (self)
               ? g_strdup_printf (self->task->multiple ? _("tick or untick “%s”")
                                                       : _("choose “%s”"),
                                  self->task->choices[i])
               : NULL;
  if ((g_str_equal (action, "classify.play-pause") || g_str_equal (action, "classify.replay")) &&
      !is_audio (self))
    return NULL;
  return g_str_has_prefix (action, "classify.") ? g_strdup (help) : NULL;
}


static void
al_classify_editor_keys_changed (AlEditor   *editor,
                                 const char *action)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (editor);

  if (self->shortcuts && al_editor_key_index (default_keys, N_ACTS, action) >= 0)
    update_keys (self);
}

static void
editor_iface_init (AlEditorInterface *iface)
{
  iface->load = al_classify_editor_load;
  iface->get_result = al_classify_editor_get_result;
  iface->get_draft = al_classify_editor_get_draft;
  iface->check = al_classify_editor_check;
  iface->describe = al_classify_editor_describe;
  iface->describe_key = al_classify_editor_describe_key;
  iface->keys_changed = al_classify_editor_keys_changed;
}

/* The keyboard lands on the answer given, else on the first choice. */
static gboolean
al_classify_editor_grab_focus (GtkWidget *widget)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (widget);

  for (guint i = 0; i < n_choices (self); i++)
    if (choice_on (self, i))
      return gtk_widget_grab_focus (self->choices[i]);
  if (n_choices (self) > 0)
    return gtk_widget_grab_focus (self->choices[0]);
  return FALSE;
}

static void
al_classify_editor_dispose (GObject *object)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->frames, al_frame_sink_release);
  self->player = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_CLASSIFY_EDITOR);
  G_OBJECT_CLASS (al_classify_editor_parent_class)->dispose (object);
}

static void
al_classify_editor_finalize (GObject *object)
{
  AlClassifyEditor *self = AL_CLASSIFY_EDITOR (object);

  g_clear_pointer (&self->task, al_task_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (al_classify_editor_parent_class)->finalize (object);
}

static void
al_classify_editor_class_init (AlClassifyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_classify_editor_dispose;
  object_class->finalize = al_classify_editor_finalize;
  widget_class->grab_focus = al_classify_editor_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  /* Straight from the resource: the editors are in a static library, where
   * nothing else would pull the resource in. */
  {
    g_autoptr (GBytes) ui = g_resource_lookup_data (al_annotate_get_resource (),
                                                    "/nl/annolab/Annotate/al-classify-editor.ui",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    gtk_widget_class_set_template (widget_class, ui);
  }
  g_type_ensure (AL_TYPE_PLAYER_PANEL);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, box);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, instructions);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, picture);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, info);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, playback);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, hint);
  gtk_widget_class_bind_template_child (widget_class, AlClassifyEditor, grid);
}

static void
al_classify_editor_init (AlClassifyEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Above the choices, made here: hidden unless a task has a proposal. */
  self->proposal_note = al_editor_new_proposal_note ();
  gtk_box_insert_child_after (GTK_BOX (self->box), GTK_WIDGET (self->proposal_note),
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->grid)));

  al_editor_init_keys (AL_EDITOR (self), default_keys, N_ACTS);
  update_keys (self);
}

AlClassifyEditor *
al_classify_editor_new (const char *sink)
{
  AlClassifyEditor *self = g_object_new (AL_TYPE_CLASSIFY_EDITOR, NULL);
  GstElement *video;

  al_player_panel_set_player (self->playback, AL_EDITOR (self), sink);
  self->player = al_player_panel_get_player (self->playback);
  self->frames = al_frame_sink_new (self->picture);
  video = al_frame_sink_make (self->frames);
  if (video)
    al_player_set_video_sink (self->player, video);
  g_signal_connect_swapped (self->playback, "error", G_CALLBACK (player_error), self);
  return self;
}

void
al_classify_editor_set_voice (AlClassifyEditor *self,
                              gboolean          voice)
{
  g_return_if_fail (AL_IS_CLASSIFY_EDITOR (self));
  self->voice = voice;
  al_player_panel_set_voice (self->playback, voice);
}

void
al_classify_editor_hold (AlClassifyEditor *self,
                         gboolean          hold)
{
  g_return_if_fail (AL_IS_CLASSIFY_EDITOR (self));
  al_player_hold (self->player, hold);
}

GObject *
al_classify_editor_get_player (AlClassifyEditor *self)
{
  g_return_val_if_fail (AL_IS_CLASSIFY_EDITOR (self), NULL);
  return G_OBJECT (self->player);
}

void
al_classify_editor_announce_choices (AlClassifyEditor *self)
{
  g_autofree char *choices = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (AL_IS_CLASSIFY_EDITOR (self));
  if (self->task == NULL)
    return;
  choices = choices_text (self);
  summary = is_audio (self) ? recording_summary (self) : NULL;
  text = g_strdup_printf (self->task->multiple ? _("%s%sChoices, more than one may apply: %s.")
                                               : _("%s%sChoices: %s."),
                          summary ? summary : "", summary ? ". " : "", choices);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_QUEUE, text);
  if (self->has_proposal)
    {
      g_autofree char *proposal = proposal_text (self);
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_QUEUE, proposal);
    }
}

const AlEditorKey *
al_classify_editor_default_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (default_keys);
  return default_keys;
}
