/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-box-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "al-annotate-resources.h"
#include "al-box-editor.h"
#include "al-proposal.h"

struct _AlBoxEditor
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkLabel *instructions;
  AlBoxCanvas *canvas;
  GtkLabel *legend;
  GtkLabel *review_legend;
  GtkLabel *status;
  GtkLabel *proposal_note; /* says that the boxes shown are a model's proposal */

  AlTask *task;
  json_t *pending_draft;
  /* Set when a short answer has been pointed out: the next Ctrl+Enter
   * without an edit in between sends it as it is. */
  gboolean short_answer_told;
  /* The same for proposed boxes not yet checked. */
  gboolean unchecked_told;
  GCancellable *cancellable;
};

static void editor_iface_init (AlEditorInterface *iface);

static void show_proposal_note (AlBoxEditor *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (AlBoxEditor,
                               al_box_editor,
                               GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AL_TYPE_EDITOR, editor_iface_init))

/* A JPEG cut short still decodes, with the missing part grey, so the
 * loaders do not notice: walk the markers to the end-of-image marker. Files
 * that are not JPEG are left to the loaders, which do notice. */
static gboolean
jpeg_is_complete (const guint8 *d, gsize n)
{
  gsize i = 2;

  if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
    return TRUE;
  while (i + 1 < n)
    {
      guint8 m;
      gsize length;

      if (d[i] != 0xFF || d[i + 1] == 0xFF)
        {
          i++; /* stray or fill bytes, which libjpeg skips too */
          continue;
        }
      m = d[i + 1];
      i += 2;
      if (m == 0xD9)
        return TRUE;
      if (m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
        continue;
      if (i + 2 > n)
        return FALSE;
      length = (gsize)d[i] << 8 | d[i + 1];
      if (length < 2)
        return FALSE;
      i += length;
      if (m == 0xDA)
        /* Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a
         * restart marker until the next real marker. */
        while (i + 1 < n
               && !(d[i] == 0xFF && d[i + 1] != 0x00 && !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7)))
          i++;
    }
  return FALSE;
}

/* Decoding runs in a worker thread: a large photo must not freeze the
 * keyboard, and a broken one must only ever cost an error message. */
static void
decode_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *path = data;
  /* Messages name the file only: they are read out to the participant, and
   * the queue knows where the task's photo lives. */
  g_autofree char *name = g_path_get_basename (path);
  GError *error = NULL;
  GdkPixbuf *pixbuf;
  GdkPixbufFormat *format;
  g_autofree char *format_name = NULL;
  int width = 0, height = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                               _ ("The image %s is missing."), name);
      return;
    }
  format = gdk_pixbuf_get_file_info (path, &width, &height);
  if (format == NULL || width <= 0 || height <= 0)
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               _ ("The image %s is not a picture annolab can read."), name);
      return;
    }
  if ((gint64)width * height > AL_BOX_EDITOR_MAX_PIXELS)
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                               _ ("The image %s is too large (%d × %d pixels; at most 100 "
                                  "megapixels)."),
                               name, width, height);
      return;
    }
  format_name = gdk_pixbuf_format_get_name (format);
  if (g_strcmp0 (format_name, "jpeg") == 0)
    {
      g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
      if (file == NULL
          || !jpeg_is_complete ((const guint8 *)g_mapped_file_get_contents (file),
                                g_mapped_file_get_length (file)))
        {
          g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                                   _ ("The image %s is damaged: the file ends too early."), name);
          return;
        }
    }
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  if (pixbuf == NULL)
    {
      g_task_return_new_error (task, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               _ ("The image %s is damaged: %s"), name, error->message);
      g_error_free (error);
      return;
    }
  g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
update_status (AlBoxEditor *self)
{
  g_autofree char *text = NULL;

  /* The status line is hidden while the feedback picture is shown. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->review_legend)))
    return;
  text = al_box_canvas_describe (self->canvas);
  gtk_label_set_text (self->status, text);
}

static void
restore_draft (AlBoxEditor *self, json_t *draft)
{
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);
  json_t *boxes = json_object_get (draft, "boxes");
  json_t *b;
  size_t i;

  json_array_foreach (boxes, i, b)
  {
    const char *name = json_string_value (json_object_get (b, "label"));
    AlBox box = { json_number_value (json_object_get (b, "x")),
                  json_number_value (json_object_get (b, "y")),
                  json_number_value (json_object_get (b, "w")),
                  json_number_value (json_object_get (b, "h")), -1,
                  (int)json_integer_value (json_object_get (b, "proposal")),
                  json_is_true (json_object_get (b, "unchecked")) };
    for (int l = 0; name && self->task->labels[l]; l++)
      if (g_str_equal (name, self->task->labels[l]))
        box.label = l;
    if (box.w > 0 && box.h > 0)
      al_box_model_add (model, &box);
  }
  al_box_model_select (model, json_is_integer (json_object_get (draft, "selected"))
                                  ? (int)json_integer_value (json_object_get (draft, "selected"))
                                  : -1);
}

static void
decoded (GObject *source, GAsyncResult *result, gpointer data)
{
  AlBoxEditor *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *intro = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (pixbuf == NULL)
    {
      al_editor_emit_broken (AL_EDITOR (self), error->message);
      g_object_unref (self);
      return;
    }
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  /* A screen reader reads the photo's description when the photo gets the
   * focus: the task's instructions come first there, until the boxes change. */
  al_box_canvas_set_intro (self->canvas, gtk_label_get_text (self->instructions));
  al_box_canvas_set_image (self->canvas, texture, (const char *const *)self->task->labels);
  if (self->task->proposal)
    al_box_canvas_set_proposal (self->canvas, self->task->proposal, self->pending_draft == NULL);
  if (self->pending_draft)
    {
      restore_draft (self, self->pending_draft);
      g_clear_pointer (&self->pending_draft, json_decref);
      al_box_canvas_refresh (self->canvas);
    }
  if (self->task->proposal)
    al_box_canvas_refresh (self->canvas);
  update_status (self);
  intro = al_box_canvas_describe (self->canvas);
  al_editor_emit_announce (AL_EDITOR (self), AL_SPEECH_QUEUE | AL_SPEECH_DESCRIBED, intro);
  al_editor_emit_ready (AL_EDITOR (self));
  g_object_unref (self);
}

static void
al_box_editor_load (AlEditor *editor, AlTask *task, json_t *draft)
{
  AlBoxEditor *self = AL_BOX_EDITOR (editor);
  g_autoptr (GTask) gtask = NULL;
  g_autoptr (GString) legend = g_string_new (NULL);
  const char *instructions = al_task_instructions (task, al_editor_language ());

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->task, al_task_unref);
  self->task = al_task_ref (task);
  g_clear_pointer (&self->pending_draft, json_decref);
  self->pending_draft = draft ? json_incref (draft) : NULL;
  self->short_answer_told = FALSE;
  self->unchecked_told = FALSE;
  show_proposal_note (self);

  for (int i = 0; task->labels[i]; i++)
    {
      g_autofree char *item = g_markup_printf_escaped ("<b>%d</b>  %s", i + 1, task->labels[i]);
      g_string_append_printf (legend, "%s%s", i ? "      " : "", item);
    }
  gtk_label_set_markup (self->legend, legend->str);
  al_box_editor_end_review (self);
  gtk_label_set_text (self->instructions, instructions ? instructions : "");
  /* The focus comes to the photo before it is decoded: its description
   * is there first (al_box_canvas_refresh). */
  al_box_canvas_set_intro (self->canvas, instructions);
  al_box_canvas_set_image (self->canvas, NULL, NULL);
  gtk_label_set_text (self->status, _ ("The image is loading."));

  gtask = g_task_new (self, self->cancellable, decoded, g_object_ref (self));
  g_task_set_task_data (gtask, g_strdup (task->media), g_free);
  g_task_run_in_thread (gtask, decode_thread);
}

/* What the visible note says about a task's proposal, and the note itself;
 * the photo's description and the spoken intro say it too (the canvas
 * describes each proposed box). */
static void
show_proposal_note (AlBoxEditor *self)
{
  json_t *proposal = self->task ? self->task->proposal : NULL;
  g_autofree char *title = NULL;
  g_autofree char *markup = NULL;
  guint n = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->proposal_note), proposal != NULL);
  if (proposal == NULL)
    return;
  n = json_array_size (json_object_get (proposal, "boxes"));
  title = al_proposal_title (proposal);
  /* Short, so that the photo keeps its room at large text: the keys are in
   * the status line, which describes the selected proposal. */
  markup = g_markup_printf_escaped (g_dngettext (GETTEXT_PACKAGE,
                                                 "<b>%s</b>: %u box to check, drawn dashed.",
                                                 "<b>%s</b>: %u boxes to check, drawn dashed.", n),
                                    title, n);
  gtk_label_set_markup (self->proposal_note, markup);
}

static json_t *
boxes_json (AlBoxEditor *self, gboolean draft)
{
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);
  GArray *proposed = al_box_canvas_get_proposed (self->canvas);
  json_t *boxes = json_array ();

  for (guint i = 0; model && i < al_box_model_get_n (model); i++)
    {
      const AlBox *b = al_box_model_get (model, i);
      /* Two decimals: well within a pixel, and no float noise in exports. */
      json_array_append_new (
          boxes,
          json_pack ("{s:o,s:f,s:f,s:f,s:f}", "label",
                     b->label >= 0 ? json_string (self->task->labels[b->label]) : json_null (), "x",
                     round (b->x * 100) / 100, "y", round (b->y * 100) / 100, "w",
                     round (b->w * 100) / 100, "h", round (b->h * 100) / 100));
      if (proposed == NULL)
        continue;
      /* The draft keeps where each box came from; the result says it. */
      if (draft && b->proposal > 0)
        {
          json_object_set_new (json_array_get (boxes, i), "proposal", json_integer (b->proposal));
          json_object_set_new (json_array_get (boxes, i), "unchecked", json_boolean (b->unchecked));
        }
      else if (!draft)
        {
          AlBoxOrigin origin = al_proposal_box_origin (proposed, b);
          json_object_set_new (json_array_get (boxes, i), "origin",
                               json_string (origin == AL_BOX_ORIGIN_ADDED     ? "added"
                                            : origin == AL_BOX_ORIGIN_CHANGED ? "changed"
                                                                              : "proposed"));
        }
    }
  return boxes;
}

static json_t *
al_box_editor_get_result (AlEditor *editor)
{
  AlBoxEditor *self = AL_BOX_EDITOR (editor);
  json_t *result = json_pack ("{s:o}", "boxes", boxes_json (self, FALSE));
  json_t *proposal = al_box_canvas_get_proposal (self->canvas);

  if (proposal)
    {
      AlProposalCounts counts;
      al_proposal_count_boxes (al_box_canvas_get_proposed (self->canvas),
                               al_box_canvas_get_model (self->canvas), &counts);
      json_object_set_new (result, "proposal", al_proposal_mark (proposal, &counts));
    }
  return result;
}

static json_t *
al_box_editor_get_draft (AlEditor *editor)
{
  AlBoxEditor *self = AL_BOX_EDITOR (editor);
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);

  if (model == NULL)
    return NULL;
  return json_pack ("{s:o,s:i}", "boxes", boxes_json (self, TRUE), "selected",
                    al_box_model_get_selected (model));
}

/* How many objects a practice task wants: its worked answer is part of
 * it. Check tasks do not say, so that they stay unnoticed among the rest. */
static guint
expected_boxes (AlBoxEditor *self)
{
  json_t *boxes = self->task && self->task->training && self->task->gold
                      ? json_object_get (self->task->gold, "boxes")
                      : NULL;
  return json_is_array (boxes) ? (guint)json_array_size (boxes) : 0;
}

/* No boxes, or fewer than the task wants, may be right (a photo with
 * nothing in it), but is more often a task not yet done: say what is
 * missing, and take the same answer on the second Ctrl+Enter. */
static gboolean
short_answer_ok (AlBoxEditor *self, guint n, char **problem)
{
  guint want = expected_boxes (self);
  g_autofree char *new_keys = NULL;
  g_autofree char *submit_keys = NULL;

  if (self->short_answer_told || (n > 0 && n >= want))
    return TRUE;
  self->short_answer_told = TRUE;
  new_keys = al_editor_keys_of (AL_EDITOR (self), "box.new");
  submit_keys = al_editor_keys_of (AL_EDITOR (self), "win.submit");
  if (n == 0)
    *problem = g_strdup_printf (_ ("You have not drawn a box yet: press %s for a new box. If there "
                                   "is nothing to box in this photo, press %s again to send it "
                                   "without boxes."),
                                new_keys, submit_keys);
  else
    *problem = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "You drew %u box, but this photo has %u objects to box. Draw the missing "
                     "ones with %s, or press %s again to send it as it is.",
                     "You drew %u boxes, but this photo has %u objects to box. Draw the missing "
                     "ones with %s, or press %s again to send it as it is.",
                     n),
        n, want, new_keys, submit_keys);
  return FALSE;
}

/* Proposed boxes nobody looked at are most often an oversight: the first
 * Ctrl+Enter selects the first of them and says how to check it; the
 * second sends them as they were proposed (counted as accepted). */
static gboolean
unchecked_ok (AlBoxEditor *self, char **problem)
{
  guint n = al_box_canvas_count_pending (self->canvas);
  g_autofree char *accept_keys = NULL;
  g_autofree char *reject_keys = NULL;
  g_autofree char *submit_keys = NULL;

  if (n == 0 || self->unchecked_told)
    return TRUE;
  self->unchecked_told = TRUE;
  al_box_canvas_select_pending (self->canvas);
  al_box_canvas_refresh (self->canvas);
  update_status (self);
  accept_keys = al_editor_keys_of (AL_EDITOR (self), "box.accept");
  reject_keys = al_editor_keys_of (AL_EDITOR (self), "box.delete");
  submit_keys = al_editor_keys_of (AL_EDITOR (self), "win.submit");
  *problem = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE,
                   "%u proposed box is not checked yet. It is selected now: %s accepts it, %s "
                   "rejects it. Or press %s again to send it as proposed.",
                   "%u proposed boxes are not checked yet. The first is selected now: %s accepts "
                   "it, %s rejects it. Or press %s again to send them as proposed.",
                   n),
      n, accept_keys, reject_keys, submit_keys);
  return FALSE;
}

static gboolean
al_box_editor_check (AlEditor *editor, char **problem)
{
  AlBoxEditor *self = AL_BOX_EDITOR (editor);
  AlBoxModel *model = al_box_canvas_get_model (self->canvas);
  guint n_labels = self->task ? g_strv_length (self->task->labels) : 0;

  if (model == NULL)
    {
      *problem = g_strdup (_ ("The image is still loading."));
      return FALSE;
    }
  for (guint i = 0; i < al_box_model_get_n (model); i++)
    if (al_box_model_get (model, i)->label < 0)
      {
        g_autofree char *last_action = g_strdup_printf ("box.label-%u", MIN (n_labels, 9));
        g_autofree char *first = al_editor_keys_of (editor, "box.label-1");
        g_autofree char *last = al_editor_keys_of (editor, last_action);

        al_box_model_select (model, i);
        al_box_canvas_refresh (self->canvas);
        update_status (self);
        *problem = n_labels == 1
                       ? g_strdup_printf (_ ("Box %u has no label yet. It is selected now: press %s "
                                             "to give it the label %s."),
                                          i + 1, first, self->task->labels[0])
                       : g_strdup_printf (_ ("Box %u has no label yet. It is selected now: press a "
                                             "key from %s to %s to choose its label."),
                                          i + 1, first, last);
        return FALSE;
      }
  if (!unchecked_ok (self, problem))
    return FALSE;
  return short_answer_ok (self, al_box_model_get_n (model), problem);
}

static char *
al_box_editor_describe (AlEditor *editor)
{
  return al_box_canvas_describe (AL_BOX_EDITOR (editor)->canvas);
}

/* The key help names the task's own labels; keys for labels the task does
 * not have are left out. */
static char *
al_box_editor_describe_key (AlEditor *editor, const char *action, const char *help)
{
  AlBoxEditor *self = AL_BOX_EDITOR (editor);
  guint n_labels = self->task ? g_strv_length (self->task->labels) : 0;
  guint64 number = 0;

  if (!g_str_has_prefix (action, "box."))
    return NULL;
  /* Accepting is for a model's proposal only. */
  if (g_str_equal (action, "box.accept") && (self->task == NULL || self->task->proposal == NULL))
    return NULL;
  if (g_str_has_prefix (action, "box.label-")
      && g_ascii_string_to_unsigned (action + strlen ("box.label-"), 10, 1, 9, &number, NULL))
    return number <= n_labels
               ? g_strdup_printf (_ ("give the box the label %s"), self->task->labels[number - 1])
               : NULL;
  return g_strdup (help);
}

static void
al_box_editor_keys_changed (AlEditor *editor, const char *action)
{
  AlBoxEditor *self = AL_BOX_EDITOR (editor);

  if (al_box_canvas_set_keys (self->canvas, action, al_editor_get_keys (editor, action)))
    {
      update_status (self);
      show_proposal_note (self);
    }
}

static void
editor_iface_init (AlEditorInterface *iface)
{
  iface->load = al_box_editor_load;
  iface->get_result = al_box_editor_get_result;
  iface->get_draft = al_box_editor_get_draft;
  iface->check = al_box_editor_check;
  iface->describe = al_box_editor_describe;
  iface->describe_key = al_box_editor_describe_key;
  iface->keys_changed = al_box_editor_keys_changed;
}

static void
canvas_changed (AlBoxCanvas *canvas, AlBoxEditor *self)
{
  self->short_answer_told = FALSE;
  self->unchecked_told = FALSE;
  update_status (self);
  al_editor_emit_changed (AL_EDITOR (self));
}

static void
canvas_announce (AlBoxCanvas *canvas, const char *text, gboolean interrupt, AlBoxEditor *self)
{
  int priority = interrupt ? AL_SPEECH_INTERRUPT : AL_SPEECH_QUEUE;

  /* After a change, and with a message, the text is the photo's accessible
   * description too. */
  if (g_strcmp0 (text, al_box_canvas_get_description (canvas)) == 0)
    priority |= AL_SPEECH_DESCRIBED;
  update_status (self);
  al_editor_emit_announce (AL_EDITOR (self), priority, text);
}

static gboolean
al_box_editor_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (AL_BOX_EDITOR (widget)->canvas));
}

static void
al_box_editor_dispose (GObject *object)
{
  AlBoxEditor *self = AL_BOX_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AL_TYPE_BOX_EDITOR);
  G_OBJECT_CLASS (al_box_editor_parent_class)->dispose (object);
}

static void
al_box_editor_finalize (GObject *object)
{
  AlBoxEditor *self = AL_BOX_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->task, al_task_unref);
  g_clear_pointer (&self->pending_draft, json_decref);
  G_OBJECT_CLASS (al_box_editor_parent_class)->finalize (object);
}

static void
al_box_editor_class_init (AlBoxEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = al_box_editor_dispose;
  object_class->finalize = al_box_editor_finalize;
  widget_class->grab_focus = al_box_editor_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  /* Straight from the resource: the editors are in a static library, where
   * nothing else would pull the resource in. */
  {
    g_autoptr (GBytes) ui = g_resource_lookup_data (al_annotate_get_resource (),
                                                    "/nl/annolab/Annotate/al-box-editor.ui",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    gtk_widget_class_set_template (widget_class, ui);
  }
  g_type_ensure (AL_TYPE_BOX_CANVAS);
  gtk_widget_class_bind_template_child (widget_class, AlBoxEditor, box);
  gtk_widget_class_bind_template_child (widget_class, AlBoxEditor, instructions);
  gtk_widget_class_bind_template_child (widget_class, AlBoxEditor, canvas);
  gtk_widget_class_bind_template_child (widget_class, AlBoxEditor, legend);
  gtk_widget_class_bind_template_child (widget_class, AlBoxEditor, review_legend);
  gtk_widget_class_bind_template_child (widget_class, AlBoxEditor, status);
  gtk_widget_class_bind_template_callback (widget_class, canvas_changed);
  gtk_widget_class_bind_template_callback (widget_class, canvas_announce);
}

static void
al_box_editor_init (AlBoxEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Under the instructions, made here: hidden unless a task has a proposal. */
  self->proposal_note = al_editor_new_proposal_note ();
  gtk_box_insert_child_after (GTK_BOX (self->box), GTK_WIDGET (self->proposal_note),
                              gtk_widget_get_first_child (self->box));
  {
    gsize n = 0;
    const AlEditorKey *keys = al_box_canvas_default_keys (&n);

    for (gsize i = 0; i < n; i++)
      {
        g_auto (GStrv) accels = g_strsplit (keys[i].accels, ";", -1);
        al_editor_set_keys (AL_EDITOR (self), keys[i].action, (const char *const *)accels);
      }
  }
}

AlBoxEditor *
al_box_editor_new (void)
{
  return g_object_new (AL_TYPE_BOX_EDITOR, NULL);
}

AlBoxCanvas *
al_box_editor_get_canvas (AlBoxEditor *self)
{
  g_return_val_if_fail (AL_IS_BOX_EDITOR (self), NULL);
  return self->canvas;
}

void
al_box_editor_show_review (AlBoxEditor *self, json_t *reference, const char *words)
{
  g_autofree char *top = NULL;

  g_return_if_fail (AL_IS_BOX_EDITOR (self));

  al_box_canvas_set_reference (self->canvas, reference);
  /* The words go where the instructions were, above the photo, where they
   * are seen first at any text size. */
  top = g_strdup_printf (_ ("Feedback on the task you just finished: %s"), words);
  gtk_label_set_text (self->instructions, top);
  gtk_widget_set_visible (GTK_WIDGET (self->review_legend), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->legend), FALSE);  /* the tags name the labels */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Photo with your boxes and the reference answer"), -1);
}

void
al_box_editor_end_review (AlBoxEditor *self)
{
  g_return_if_fail (AL_IS_BOX_EDITOR (self));

  al_box_canvas_set_reference (self->canvas, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->review_legend), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->legend), TRUE);
  gtk_label_set_text (self->instructions, "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Photo with boxes"), -1);
}
