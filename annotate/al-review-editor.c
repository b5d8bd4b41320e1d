/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-review"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "al-frame-sink.h"
#include "al-player-panel.h"
#include "al-review-editor.h"

typedef enum
{
  ACT_CORRECT,
  ACT_TEXT,
  ACT_TIMING,
  ACT_START_EARLIER,
  ACT_START_LATER,
  ACT_END_EARLIER,
  ACT_END_LATER,
  ACT_PLAY,
  ACT_REPLAY,
  ACT_READ,
  N_ACTS,
} Act;

typedef enum
{
  VERDICT_NONE = -1,
  VERDICT_CORRECT,
  VERDICT_TEXT,
  VERDICT_TIMING,
  N_VERDICTS,
} Verdict;

static const char *const verdict_names[N_VERDICTS] = { "correct", "text", "timing" };

/* Timing moves in steps a listener can hear. */
#define STEP 0.1

static const AlEditorKey default_keys[N_ACTS] = {
  { "review.correct", "<Control>1;<Control>KP_1", N_("the cue is right") },
  { "review.text", "<Control>2;<Control>KP_2", N_("the words are wrong: correct the text") },
  { "review.timing", "<Control>3;<Control>KP_3", N_("the timing is wrong: move start and end") },
  { "review.start-earlier", "<Alt>Left", N_("start 0.1 s earlier") },
  { "review.start-later", "<Alt>Right", N_("start 0.1 s later") },
  { "review.end-earlier", "<Alt><Shift>Left", N_("end 0.1 s earlier") },
  { "review.end-later", "<Alt><Shift>Right", N_("end 0.1 s later") },
  { "review.play-pause", "<Control>space", N_("play or pause the span") },
  { "review.replay", "<Control>r", N_("play the span from the start") },
  { "review.read-cue", "<Control><Shift>r", N_("say the subtitle again") },
};

struct _AlReviewEditor
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *instructions;
  GtkLabel *info;
  GtkPicture *picture;  /* a video programme's pictures */
  GtkLabel *subtitle;
  AlPlayerPanel *playback;
  GtkWidget *verdicts[N_VERDICTS];
  GtkTextView *text;
  GtkWidget *scroller;
  GtkTextBuffer *buffer;
  GtkLabel *timing;
  GtkEventController *shortcuts;

  AlPlayer *player;  /* the panel's */
  AlFrameSink *frames;
  AlTask *task;
  Verdict verdict;
  double start, end;
  gboolean loading;
  gboolean voice;
  gboolean said_cue;  /* voice mode: the cue's text after the first play */
};

static void editor_iface_init (AlEditorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AlReviewEditor, al_review_editor, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AL_TYPE_EDITOR, editor_iface_init))

static char *
keys_of (AlReviewEditor *self,
         Act             act)
{
  return al_editor_keys_label_of (AL_EDITOR (self), default_keys[act].action);
}

static const char *
verdict_label (Verdict v)
{
  return v == VERDICT_CORRECT ? _("Correct") : v == VERDICT_TEXT ? _("Wrong text")
                                                                 : _("Wrong timing");
}

static int
cue_number (AlReviewEditor *self)
{
  json_t *cue = self->task && self->task->source ? json_object_get (self->task->source, "cue")
                                                 : NULL;
  return json_is_integer (cue) ? (int) json_integer_value (cue) : 0;
}

static char *
span_text (double start,
           double end)
{
  /* TRANSLATORS: the time span of a subtitle cue, in seconds. */
  return g_strdup_printf (_("from %.1f to %.1f seconds"), start, end);
}

static void
update_timing (AlReviewEditor *self)
{
  g_autofree char *span = span_text (self->start, self->end);
  g_autofree char *earlier = keys_of (self, ACT_START_EARLIER);
  g_autofree char *later = keys_of (self, ACT_START_LATER);
  g_autofree char *end_earlier = keys_of (self, ACT_END_EARLIER);
  g_autofree char *end_later = keys_of (self, ACT_END_LATER);
  /* TRANSLATORS: the cue's span, then the keys that move its start and end. */
  g_autofree char *text = g_strdup_printf (_("Timing: %s. Start: %s and %s. End: %s and %s."),
                                           span, earlier ? earlier : "-", later ? later : "-",
                                           end_earlier ? end_earlier : "-",
                                           end_later ? end_later : "-");
  gtk_label_set_text (self->timing, text);
}

static void
update_playback_label (AlReviewEditor *self)
{
  if (self->task)
    al_player_panel_update (self->playback);
}

static void
show_verdict (AlReviewEditor *self)
{
  for (int v = 0; v < N_VERDICTS; v++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->verdicts[v]), self->verdict == v);
  gtk_widget_set_visible (self->scroller, self->verdict == VERDICT_TEXT);
  gtk_widget_set_visible (GTK_WIDGET (self->timing), self->verdict == VERDICT_TIMING);
  update_timing (self);
}

/* Plays the span as it now stands, from its start. */
static void
play_span (AlReviewEditor *self)
{
  if (al_player_is_ready (self->player) && fabs (al_player_get_duration (self->player) -
                                                  (self->end - self->start)) < 0.0005)
    {
      al_player_replay (self->player);
      /* Held by speech: it plays once the words have been said. */
      if (!al_player_get_playing (self->player))
        al_player_play (self->player);
      return;
    }
  al_player_panel_play_when_ready (self->playback, TRUE);
  al_player_load (self->player, self->task->media, self->start, self->end);
}

static void
say_cue (AlReviewEditor *self)
{
  g_autofree char *text = g_strdelimit (g_strdup (self->task->subtitle), "\n", ' ');
  al_editor_emit_announce_in (AL_EDITOR (self), AL_SPEECH_QUEUE, self->task->language, text);
}

static char *
typed_text (AlReviewEditor *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

/* The corrected text, with the cursor after its last word. */
static void
set_typed_text (AlReviewEditor *self,
                const char     *text)
{
  GtkTextIter end;

  gtk_text_buffer_set_text (self->buffer, text, -1);
  gtk_text_buffer_get_end_iter (self->buffer, &end);
  gtk_text_buffer_place_cursor (self->buffer, &end);
}

static void
set_verdict (AlReviewEditor *self,
             Verdict         verdict)
{
  g_autofree char *said = NULL;

  self->verdict = verdict;
  self->loading = TRUE;
  show_verdict (self);
  self->loading = FALSE;
  if (verdict == VERDICT_TEXT)
    {
      if (gtk_text_buffer_get_char_count (self->buffer) == 0)
        set_typed_text (self, self->task->subtitle);
      gtk_widget_grab_focus (GTK_WIDGET (self->text));
      /* TRANSLATORS: said when the text field opens with the cue's text. */
      said = g_strdup (_("Wrong text. Correct the subtitle in the text field."));
    }
  else
    {
      gtk_widget_grab_focus (self->verdicts[verdict]);
      if (verdict == VERDICT_TIMING)
        {
          g_autofree char *span = span_text (self->start, self->end);
          said = g_strdup_printf (_("Wrong timing. The cue runs %s."), span);
        }
      else
        said = g_strdup (_("Correct."));
    }
  al_editor_emit_changed (AL_EDITOR (self));
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
}

/* A step of start or end, then the span again so the change is heard.
 * A step means the timing is wrong, whatever was judged before. */
static void
move_timing (AlReviewEditor *self,
             Act             act)
{
  gboolean is_start = act == ACT_START_EARLIER || act == ACT_START_LATER;
  double step = act == ACT_START_EARLIER || act == ACT_END_EARLIER ? -STEP : STEP;
  double *edge = is_start ? &self->start : &self->end;
  double moved = round ((*edge + step) * 1000) / 1000;
  g_autofree char *said = NULL;

  if (self->verdict != VERDICT_TIMING)
    {
      self->verdict = VERDICT_TIMING;
      self->loading = TRUE;
      show_verdict (self);
      self->loading = FALSE;
    }
  if ((is_start && (moved < 0 || moved > self->end - 2 * STEP + 1e-9)) ||
      (!is_start && moved < self->start + 2 * STEP - 1e-9))
    {
      said = g_strdup (is_start ? _("The start cannot move further.")
                                : _("The end cannot move further."));
      al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
      return;
    }
  *edge = moved;
  update_timing (self);
  al_editor_emit_changed (AL_EDITOR (self));
  /* TRANSLATORS: the new start or end of the cue, in seconds. */
  said = g_strdup_printf (is_start ? _("Start %.1f") : _("End %.1f"), moved);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_INTERRUPT, said);
  play_span (self);
}

static void
run_act (AlReviewEditor *self,
         Act             act)
{
  if (self->task == NULL)
    return;
  switch (act)
    {
    case ACT_CORRECT:
    case ACT_TEXT:
    case ACT_TIMING:
      set_verdict (self, (Verdict) (act - ACT_CORRECT));
      break;
    case ACT_START_EARLIER:
    case ACT_START_LATER:
    case ACT_END_EARLIER:
    case ACT_END_LATER:
      move_timing (self, act);
      break;
    case ACT_PLAY:
      al_player_toggle (self->player);
      break;
    case ACT_REPLAY:
      play_span (self);
      break;
    case ACT_READ:
      say_cue (self);
      break;
    default:
      break;
    }
}

static gboolean
shortcut_activated (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   data)
{
  run_act (AL_REVIEW_EDITOR (widget), GPOINTER_TO_INT (data));
  return TRUE;
}

static void
update_keys (AlReviewEditor *self)
{
  al_editor_update_shortcuts (AL_EDITOR (self), &self->shortcuts, default_keys, N_ACTS,
                              shortcut_activated);
  /* The buttons' names carry their keys: "Ctrl+1: Correct". */
  for (int v = 0; v < N_VERDICTS; v++)
    {
      g_autofree char *keys = keys_of (self, ACT_CORRECT + v);
      g_autofree char *label = keys ? g_strdup_printf ("%s: %s", keys, verdict_label (v))
                                    : g_strdup (verdict_label (v));
      gtk_button_set_label (GTK_BUTTON (self->verdicts[v]), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdicts[v]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  update_timing (self);
}

static void
verdict_toggled (GtkToggleButton *button,
                 AlReviewEditor  *self)
{
  int v = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "verdict"));

  if (self->loading || self->task == NULL || !gtk_toggle_button_get_active (button) ||
      self->verdict == (Verdict) v)
    return;
  set_verdict (self, (Verdict) v);
}

static void
text_changed (AlReviewEditor *self)
{
  if (!self->loading && self->task)
    al_editor_emit_changed (AL_EDITOR (self));
}

/* Voice mode: the span first, then its words, once; Ctrl+R and
 * Ctrl+Shift+R hear either again. */
static void
player_finished (AlReviewEditor *self)
{
  if (self->voice && self->task && !self->said_cue)
    {
      self->said_cue = TRUE;
      say_cue (self);
    }
}

static void
player_error (AlReviewEditor *self,
              const char     *message)
{
  if (self->task)
    al_editor_emit_broken (AL_EDITOR (self), message);
}

static char *
cue_summary (AlReviewEditor *self)
{
  g_autofree char *span = span_text (self->task->start, self->task->end);
  int n = cue_number (self);

  if (n > 0)
    /* TRANSLATORS: "Cue 2, from 7.5 to 10.5 seconds". */
    return g_strdup_printf (_("Cue %d, %s"), n, span);
  return g_strdup_printf (_("Cue %s"), span);
}

static void
restore (AlReviewEditor *self,
         json_t         *draft)
{
  const char *verdict = json_string_value (json_object_get (draft, "verdict"));
  const char *text = json_string_value (json_object_get (draft, "text"));
  json_t *start = json_object_get (draft, "start"), *end = json_object_get (draft, "end");

  self->verdict = VERDICT_NONE;
  for (int v = 0; v < N_VERDICTS; v++)
    if (g_strcmp0 (verdict, verdict_names[v]) == 0)
      self->verdict = v;
  if (self->verdict == VERDICT_TEXT && text)
    set_typed_text (self, text);
  if (self->verdict == VERDICT_TIMING && json_is_number (start) && json_is_number (end) &&
      json_number_value (start) >= 0 && json_number_value (end) > json_number_value (start))
    {
      self->start = json_number_value (start);
      self->end = json_number_value (end);
    }
}

static void
al_review_editor_load (AlEditor *editor,
                       AlTask   *task,
                       json_t   *draft)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (editor);
  const char *instructions = al_task_instructions (task, al_editor_language ());
  g_autofree char *summary = NULL;

  al_player_pause (self->player);
  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  self->start = task->start;
  self->end = task->end;
  self->said_cue = FALSE;
  al_player_panel_play_when_ready (self->playback, FALSE);
  gtk_picture_set_paintable (self->picture, NULL);
  al_frame_sink_set_active (self->frames, task->media_type == AL_TASK_MEDIA_VIDEO);
  gtk_widget_set_visible (GTK_WIDGET (self->picture), task->media_type == AL_TASK_MEDIA_VIDEO);

  self->loading = TRUE;
  set_typed_text (self, "");
  restore (self, draft);
  gtk_label_set_text (self->instructions, instructions ? instructions : "");
  summary = cue_summary (self);
  gtk_label_set_text (self->info, summary);
  gtk_label_set_text (self->subtitle, task->subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->subtitle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Subtitle"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, task->subtitle, -1);
  show_verdict (self);
  self->loading = FALSE;

  if (!g_file_test (task->media, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *reason = g_strdup_printf (task->media_type == AL_TASK_MEDIA_VIDEO
                                                   ? _("The video %s is missing.")
                                                   : _("The recording %s is missing."),
                                                 task->media);
      al_editor_emit_broken (editor, reason);
      return;
    }
  al_player_load (self->player, task->media, self->start, self->end);
  update_playback_label (self);
  al_editor_emit_ready (editor);
}

static json_t *
make_result (AlReviewEditor *self,
             gboolean        draft)
{
  g_autofree char *typed = self->verdict == VERDICT_TEXT ? typed_text (self) : NULL;
  const char *text = typed ? typed : self->task->subtitle;
  double start = self->task->start, end = self->task->end;
  json_t *out;

  if (self->verdict == VERDICT_TIMING || draft)
    {
      start = self->start;
      end = self->end;
    }
  out = json_pack ("{s:s,s:f,s:f}", "text", text, "start", start, "end", end);
  if (self->verdict != VERDICT_NONE)
    json_object_set_new (out, "verdict", json_string (verdict_names[self->verdict]));
  return out;
}

static json_t *
al_review_editor_get_result (AlEditor *editor)
{
  return make_result (AL_REVIEW_EDITOR (editor), FALSE);
}

static json_t *
al_review_editor_get_draft (AlEditor *editor)
{
  return make_result (AL_REVIEW_EDITOR (editor), TRUE);
}

static gboolean
al_review_editor_check (AlEditor *editor,
                        char    **problem)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (editor);
  g_autofree char *correct = NULL, *text = NULL, *timing = NULL;
  g_autofree char *typed = NULL;

  if (self->task == NULL)
    return TRUE;
  if (self->verdict == VERDICT_NONE)
    {
      correct = keys_of (self, ACT_CORRECT);
      text = keys_of (self, ACT_TEXT);
      timing = keys_of (self, ACT_TIMING);
      *problem = g_strdup_printf (_("Not judged yet. %s: the cue is right, %s: its words are "
                                    "wrong, %s: its timing is wrong."),
                                  correct ? correct : "-", text ? text : "-",
                                  timing ? timing : "-");
      return FALSE;
    }
  if (self->verdict == VERDICT_TEXT)
    {
      g_autofree char *before = g_strstrip (g_strdup (self->task->subtitle));
      typed = g_strstrip (typed_text (self));
      if (*typed == '\0')
        {
          *problem = g_strdup (_("The corrected text is empty. Type the words of the cue."));
          return FALSE;
        }
      if (g_str_equal (typed, before))
        {
          *problem = g_strdup (_("The text is as it was. Correct the words, or judge the cue "
                                 "another way."));
          return FALSE;
        }
    }
  if (self->verdict == VERDICT_TIMING && fabs (self->start - self->task->start) < 0.0005 &&
      fabs (self->end - self->task->end) < 0.0005)
    {
      g_autofree char *earlier = keys_of (self, ACT_START_EARLIER);
      *problem = g_strdup_printf (_("The timing is as it was. Move the start or the end "
                                    "(%s moves the start earlier)."), earlier ? earlier : "-");
      return FALSE;
    }
  return TRUE;
}

static char *
al_review_editor_describe (AlEditor *editor)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (editor);
  g_autofree char *summary = NULL;

  if (self->task == NULL)
    return g_strdup ("");
  summary = cue_summary (self);
  if (self->verdict == VERDICT_NONE)
    return g_strdup_printf (_("Subtitle review. %s. Not judged yet."), summary);
  return g_strdup_printf (_("Subtitle review. %s. Judged: %s."), summary,
                          verdict_label (self->verdict));
}

static char *
al_review_editor_describe_key (AlEditor   *editor,
                               const char *action,
                               const char *help)
{
  return g_str_has_prefix (action, "review.") ? g_strdup (help) : NULL;
}

static void
al_review_editor_keys_changed (AlEditor   *editor,
                               const char *action)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (editor);

  if (self->shortcuts && al_editor_key_index (default_keys, N_ACTS, action) >= 0)
    update_keys (self);
}

static void
editor_iface_init (AlEditorInterface *iface)
{
  iface->load = al_review_editor_load;
  iface->get_result = al_review_editor_get_result;
  iface->get_draft = al_review_editor_get_draft;
  iface->check = al_review_editor_check;
  iface->describe = al_review_editor_describe;
  iface->describe_key = al_review_editor_describe_key;
  iface->keys_changed = al_review_editor_keys_changed;
}

/* The keyboard lands in the text when correcting it, else on the verdict
 * given, else on the first. */
static gboolean
al_review_editor_grab_focus (GtkWidget *widget)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (widget);

  if (self->verdict == VERDICT_TEXT)
    return gtk_widget_grab_focus (GTK_WIDGET (self->text));
  return gtk_widget_grab_focus (self->verdicts[MAX (self->verdict, VERDICT_CORRECT)]);
}

static void
al_review_editor_dispose (GObject *object)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (object);

  if (self->player)
    g_signal_handlers_disconnect_by_data (self->player, self);
  self->player = NULL;
  g_clear_pointer (&self->frames, al_frame_sink_release);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (al_review_editor_parent_class)->dispose (object);
}

static void
al_review_editor_finalize (GObject *object)
{
  AlReviewEditor *self = AL_REVIEW_EDITOR (object);

  g_clear_pointer (&self->task, al_task_unref);
  G_OBJECT_CLASS (al_review_editor_parent_class)->finalize (object);
}

static void
al_review_editor_class_init (AlReviewEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_review_editor_dispose;
  object_class->finalize = al_review_editor_finalize;
  widget_class->grab_focus = al_review_editor_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkLabel *
add_label (AlReviewEditor *self)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_xalign (label, 0);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (label));
  return label;
}

static void
al_review_editor_init (AlReviewEditor *self)
{
  GtkWidget *row;

  self->verdict = VERDICT_NONE;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 16);
  gtk_widget_set_margin_end (self->box, 16);
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);

  self->instructions = add_label (self);
  gtk_widget_add_css_class (GTK_WIDGET (self->instructions), "instructions");
  self->info = add_label (self);
  /* A programme on video is seen as well as heard, its subtitle under it. */
  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, 200);
  gtk_widget_set_vexpand (GTK_WIDGET (self->picture), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->picture), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Video"), -1);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->picture));
  self->subtitle = add_label (self);
  /* The cue stands out as a subtitle does. */
  {
    PangoAttrList *attrs = pango_attr_list_new ();
    pango_attr_list_insert (attrs, pango_attr_scale_new (1.4));
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    gtk_label_set_attributes (self->subtitle, attrs);
    pango_attr_list_unref (attrs);
  }
  self->playback = g_object_new (AL_TYPE_PLAYER_PANEL, NULL);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->playback));

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Verdict"), -1);
  for (int v = 0; v < N_VERDICTS; v++)
    {
      GtkWidget *b = gtk_toggle_button_new ();
      g_object_set_data (G_OBJECT (b), "verdict", GINT_TO_POINTER (v));
      gtk_widget_set_hexpand (b, TRUE);
      gtk_widget_add_css_class (b, "choice");
      if (v > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (b), GTK_TOGGLE_BUTTON (self->verdicts[0]));
      g_signal_connect (b, "toggled", G_CALLBACK (verdict_toggled), self);
      gtk_box_append (GTK_BOX (row), b);
      self->verdicts[v] = b;
    }
  gtk_box_append (GTK_BOX (self->box), row);

  self->buffer = gtk_text_buffer_new (NULL);
  g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (text_changed), self);
  self->text = GTK_TEXT_VIEW (gtk_text_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_text_view_set_wrap_mode (self->text, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->text, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->text), "transcript");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Corrected subtitle"), -1);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (self->scroller, "transcript-box");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->text));
  gtk_box_append (GTK_BOX (self->box), self->scroller);
  self->timing = add_label (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Subtitle review task"), -1);

  al_editor_init_keys (AL_EDITOR (self), default_keys, N_ACTS);
  update_keys (self);
  show_verdict (self);
}

AlReviewEditor *
al_review_editor_new (const char *sink)
{
  AlReviewEditor *self = g_object_new (AL_TYPE_REVIEW_EDITOR, NULL);
  GstElement *video;

  al_player_panel_set_player (self->playback, AL_EDITOR (self), sink);
  self->player = al_player_panel_get_player (self->playback);
  self->frames = al_frame_sink_new (self->picture);
  video = al_frame_sink_make (self->frames);
  if (video)
    al_player_set_video_sink (self->player, video);
  g_signal_connect_swapped (self->player, "finished", G_CALLBACK (player_finished), self);
  g_signal_connect_swapped (self->playback, "error", G_CALLBACK (player_error), self);
  return self;
}

void
al_review_editor_set_voice (AlReviewEditor *self,
                            gboolean        voice)
{
  g_return_if_fail (AL_IS_REVIEW_EDITOR (self));
  self->voice = voice;
  al_player_panel_set_voice (self->playback, voice);
}

void
al_review_editor_hold (AlReviewEditor *self,
                       gboolean        hold)
{
  g_return_if_fail (AL_IS_REVIEW_EDITOR (self));
  al_player_hold (self->player, hold);
}

GObject *
al_review_editor_get_player (AlReviewEditor *self)
{
  g_return_val_if_fail (AL_IS_REVIEW_EDITOR (self), NULL);
  return G_OBJECT (self->player);
}

void
al_review_editor_announce_cue (AlReviewEditor *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (AL_IS_REVIEW_EDITOR (self));
  if (self->task == NULL)
    return;
  summary = cue_summary (self);
  text = g_strdup_printf ("%s.", summary);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_QUEUE, text);
}

const AlEditorKey *
al_review_editor_default_keys (gsize *n_keys)
{
  *n_keys = G_N_ELEMENTS (default_keys);
  return default_keys;
}
