/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-transcribe"

#include "config.h"

#include <glib/gi18n.h>

#include "al-transcribe-editor.h"

struct _AlTranscribeEditor
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *instructions;
  GtkLabel *info;
  GtkLabel *marks_label;
  GtkTextView *text_view;
  GtkTextBuffer *buffer;

  AlTask *task;
  char *sink;
  gboolean loading;
};

static void editor_iface_init (AlEditorInterface *iface);

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

static void
update_marks_label (AlTranscribeEditor *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const char *const *m = marks (self);

  for (int i = 0; m[i]; i++)
    g_string_append_printf (text, "%sAlt+%d %s", i ? "   " : "", i + 1, m[i]);
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
  al_editor_emit_announce (AL_EDITOR (self), AL_ANNOUNCE_INTERRUPT, said);
}

static gboolean
key_pressed (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             AlTranscribeEditor    *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  if (mods == GDK_ALT_MASK && keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    {
      insert_mark (self, keyval - GDK_KEY_1);
      return TRUE;
    }
  if (mods == GDK_ALT_MASK && keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    {
      insert_mark (self, keyval - GDK_KEY_KP_1);
      return TRUE;
    }
  return FALSE;
}

static char *
get_text (AlTranscribeEditor *self)
{
  GtkTextIter start, end;
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}

static void
buffer_changed (GtkTextBuffer      *buffer,
                AlTranscribeEditor *self)
{
  if (!self->loading)
    al_editor_emit_changed (AL_EDITOR (self));
}

static void
al_transcribe_editor_load (AlEditor *editor,
                           AlTask   *task,
                           json_t   *draft)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  const char *text = json_string_value (json_object_get (draft, "text"));
  const char *instructions = al_task_instructions (task, al_editor_language ());
  g_autofree char *summary = NULL;

  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);

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
  summary = segment_summary (self);
  gtk_label_set_text (self->info, summary);
  update_marks_label (self);

  if (!g_file_test (task->media, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *reason = g_strdup_printf (_("The recording %s is missing."), task->media);
      al_editor_emit_broken (editor, reason);
      return;
    }
  al_editor_emit_announce (editor, AL_ANNOUNCE_QUEUE, summary);
  al_editor_emit_ready (editor);
}

static json_t *
al_transcribe_editor_get_result (AlEditor *editor)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);

  return json_pack ("{s:s}", "text", g_strstrip (text));
}

static json_t *
al_transcribe_editor_get_draft (AlEditor *editor)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);

  return json_pack ("{s:s}", "text", text);
}

static gboolean
al_transcribe_editor_check (AlEditor *editor,
                            char    **problem)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (editor);
  g_autofree char *text = get_text (self);

  if (*g_strstrip (text) == '\0')
    {
      *problem = g_strdup (_("The text field is still empty. Listen with Ctrl+Space and type "
                             "what you hear; if you hear nothing, type [silence]."));
      return FALSE;
    }
  return TRUE;
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
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s. You have typed %u word.",
                                       "%s. You have typed %u words.", words),
                          summary, words);
}

static char *
al_transcribe_editor_key_help (AlEditor *editor)
{
  return g_strdup (_("Type what you hear in the text field.\n"
                     "Ctrl+Space: play or pause\n"
                     "Ctrl+Left / Ctrl+Right: back or forward 2 seconds\n"
                     "Ctrl+Up / Ctrl+Down: faster or slower\n"
                     "Ctrl+R: play the segment from the start\n"
                     "Ctrl+Shift+R: read back what you typed\n"
                     "Alt+1 to Alt+9: insert a mark such as [inaudible]"));
}

static void
editor_iface_init (AlEditorInterface *iface)
{
  iface->load = al_transcribe_editor_load;
  iface->get_result = al_transcribe_editor_get_result;
  iface->get_draft = al_transcribe_editor_get_draft;
  iface->check = al_transcribe_editor_check;
  iface->describe = al_transcribe_editor_describe;
  iface->key_help = al_transcribe_editor_key_help;
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

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (al_transcribe_editor_parent_class)->dispose (object);
}

static void
al_transcribe_editor_finalize (GObject *object)
{
  AlTranscribeEditor *self = AL_TRANSCRIBE_EDITOR (object);

  g_clear_pointer (&self->task, al_task_unref);
  g_free (self->sink);
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
}

static void
al_transcribe_editor_init (AlTranscribeEditor *self)
{
  GtkWidget *scroller;
  GtkEventController *keys;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 16);
  gtk_widget_set_margin_end (self->box, 16);
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);

  self->instructions = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->instructions, TRUE);
  gtk_label_set_xalign (self->instructions, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->instructions), "instructions");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->instructions));

  self->info = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->info, 0);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->info));

  self->marks_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->marks_label, 0);
  gtk_label_set_wrap (self->marks_label, TRUE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->marks_label));

  self->buffer = gtk_text_buffer_new (NULL);
  g_signal_connect (self->buffer, "changed", G_CALLBACK (buffer_changed), self);
  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->text_view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->text_view), "transcript");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Transcript"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Type what you hear. Ctrl+Space plays or pauses."), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (scroller), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Transcript"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->text_view));
  gtk_box_append (GTK_BOX (self->box), scroller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Transcription task"), -1);

  /* Capture phase: the text view would otherwise take these keys. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

AlTranscribeEditor *
al_transcribe_editor_new (const char *sink)
{
  AlTranscribeEditor *self = g_object_new (AL_TYPE_TRANSCRIBE_EDITOR, NULL);
  self->sink = g_strdup (sink ? sink : "auto");
  return self;
}
