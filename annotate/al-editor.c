/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "al-editor.h"

G_DEFINE_INTERFACE (AlEditor, al_editor, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  ANNOUNCE,
  BROKEN,
  READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
al_editor_default_init (AlEditorInterface *iface)
{
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ANNOUNCE] = g_signal_new ("announce", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT,
                                    G_TYPE_STRING);
  signals[BROKEN] = g_signal_new ("broken", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
}

void
al_editor_load (AlEditor *self,
                AlTask   *task,
                json_t   *draft)
{
  g_return_if_fail (AL_IS_EDITOR (self));
  g_return_if_fail (task != NULL);
  AL_EDITOR_GET_IFACE (self)->load (self, task, draft);
}

json_t *
al_editor_get_result (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->get_result (self);
}

json_t *
al_editor_get_draft (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->get_draft (self);
}

gboolean
al_editor_check (AlEditor *self,
                 char    **problem)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), FALSE);
  return AL_EDITOR_GET_IFACE (self)->check (self, problem);
}

char *
al_editor_describe (AlEditor *self)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  return AL_EDITOR_GET_IFACE (self)->describe (self);
}

char *
al_editor_describe_key (AlEditor   *self,
                        const char *action,
                        const char *help)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);
  if (AL_EDITOR_GET_IFACE (self)->describe_key == NULL)
    return NULL;
  return AL_EDITOR_GET_IFACE (self)->describe_key (self, action, help);
}

static GHashTable *
key_table (AlEditor *self)
{
  static GQuark quark;
  GHashTable *table;

  if (quark == 0)
    quark = g_quark_from_static_string ("al-editor-keys");
  table = g_object_get_qdata (G_OBJECT (self), quark);
  if (table == NULL)
    {
      table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
      g_object_set_qdata_full (G_OBJECT (self), quark, table, (GDestroyNotify) g_hash_table_unref);
    }
  return table;
}

void
al_editor_set_keys (AlEditor          *self,
                    const char        *action,
                    const char *const *accels)
{
  static const char *const none[] = { NULL };

  g_return_if_fail (AL_IS_EDITOR (self));
  g_return_if_fail (action != NULL);
  g_hash_table_replace (key_table (self), g_strdup (action),
                        g_strdupv ((char **) (accels ? accels : none)));
  if (AL_EDITOR_GET_IFACE (self)->keys_changed)
    AL_EDITOR_GET_IFACE (self)->keys_changed (self, action);
}

const char *const *
al_editor_get_keys (AlEditor   *self,
                    const char *action)
{
  g_return_val_if_fail (AL_IS_EDITOR (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);
  return g_hash_table_lookup (key_table (self), action);
}

void
al_editor_init_keys (AlEditor          *self,
                     const AlEditorKey *keys,
                     gsize              n_keys)
{
  g_return_if_fail (AL_IS_EDITOR (self));
  for (gsize i = 0; i < n_keys; i++)
    {
      g_auto (GStrv) accels = g_strsplit (keys[i].accels, ";", -1);

      al_editor_set_keys (self, keys[i].action, (const char *const *) accels);
    }
}

void
al_editor_update_shortcuts (AlEditor            *self,
                            GtkEventController **shortcuts,
                            const AlEditorKey   *keys,
                            gsize                n_keys,
                            GtkShortcutFunc      activated)
{
  g_return_if_fail (AL_IS_EDITOR (self));
  if (*shortcuts)
    gtk_widget_remove_controller (GTK_WIDGET (self), *shortcuts);
  *shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (*shortcuts, GTK_PHASE_CAPTURE);
  for (gsize act = 0; act < n_keys; act++)
    {
      const char *const *accels = al_editor_get_keys (self, keys[act].action);

      for (guint i = 0; accels && accels[i]; i++)
        {
          GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (accels[i]);
          if (trigger == NULL)
            {
              g_warning ("%s: “%s” is not a key", keys[act].action, accels[i]);
              continue;
            }
          gtk_shortcut_controller_add_shortcut (
            GTK_SHORTCUT_CONTROLLER (*shortcuts),
            gtk_shortcut_new (trigger, gtk_callback_action_new (activated, GINT_TO_POINTER (act),
                                                                NULL)));
        }
    }
  gtk_widget_add_controller (GTK_WIDGET (self), *shortcuts);
}

int
al_editor_key_index (const AlEditorKey *keys,
                     gsize              n_keys,
                     const char        *action)
{
  for (gsize i = 0; i < n_keys; i++)
    if (g_str_equal (keys[i].action, action))
      return (int) i;
  return -1;
}

char *
al_editor_keys_label_of (AlEditor   *self,
                         const char *action)
{
  return al_editor_keys_label (al_editor_get_keys (self, action));
}

char *
al_editor_keys_of (AlEditor   *self,
                   const char *action)
{
  char *label = al_editor_keys_label (al_editor_get_keys (self, action));

  /* TRANSLATORS: in a hint such as "press (no key) for a new box", when
   * the person's key file took the key away. */
  return label ? label : g_strdup (_("(no key)"));
}

void
al_editor_emit_changed (AlEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
al_editor_emit_announce (AlEditor         *self,
                         AlSpeechPriority  priority,
                         const char       *text)
{
  g_signal_emit (self, signals[ANNOUNCE], 0, text, (int) priority, NULL);
}

void
al_editor_emit_announce_in (AlEditor   *self,
                            AlSpeechPriority  priority,
                            const char *language,
                            const char *text)
{
  g_signal_emit (self, signals[ANNOUNCE], 0, text, (int) priority, language);
}

void
al_editor_emit_broken (AlEditor   *self,
                       const char *reason)
{
  g_signal_emit (self, signals[BROKEN], 0, reason);
}

void
al_editor_emit_ready (AlEditor *self)
{
  g_signal_emit (self, signals[READY], 0);
}

const char *
al_editor_language (void)
{
  const char *const *names = g_get_language_names ();

  for (; names && *names; names++)
    {
      if (g_str_has_prefix (*names, "nl"))
        return "nl";
      if (g_str_has_prefix (*names, "en"))
        return "en";
    }
  return "nl";
}

static const char *
key_name (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      return C_("key", "Space");
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      return C_("key", "Enter");
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      return C_("key", "Left");
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      return C_("key", "Right");
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      return C_("key", "Up");
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      return C_("key", "Down");
    case GDK_KEY_Escape:
      return C_("key", "Escape");
    case GDK_KEY_Control_L:
    case GDK_KEY_Control_R:
      return C_("key", "Ctrl");
    case GDK_KEY_Tab:
      return C_("key", "Tab");
    case GDK_KEY_BackSpace:
      return C_("key", "Backspace");
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      return C_("key", "Delete");
    case GDK_KEY_Home:
      return C_("key", "Home");
    case GDK_KEY_End:
      return C_("key", "End");
    case GDK_KEY_Page_Up:
      return C_("key", "Page Up");
    case GDK_KEY_Page_Down:
      return C_("key", "Page Down");
    default:
      return NULL;
    }
}

char *
al_editor_key_label (const char *accel)
{
  guint keyval = 0;
  GdkModifierType mods = 0;
  GString *out;
  const char *name;
  gunichar c;

  g_return_val_if_fail (accel != NULL, NULL);
  if (!gtk_accelerator_parse (accel, &keyval, &mods) || keyval == 0)
    return g_strdup (accel);
  out = g_string_new (NULL);
  if (mods & GDK_CONTROL_MASK)
    g_string_append (out, "Ctrl+");
  if (mods & GDK_SHIFT_MASK)
    g_string_append (out, "Shift+");
  if (mods & GDK_ALT_MASK)
    g_string_append (out, "Alt+");
  if (mods & GDK_SUPER_MASK)
    g_string_append (out, "Super+");
  name = key_name (keyval);
  /* The keypad's digits read as digits. */
  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    keyval = GDK_KEY_0 + (keyval - GDK_KEY_KP_0);
  c = gdk_keyval_to_unicode (gdk_keyval_to_upper (keyval));
  if (name)
    g_string_append (out, name);
  else if (c > ' ' && g_unichar_isgraph (c))
    g_string_append_unichar (out, c);
  else
    g_string_append (out, gdk_keyval_name (keyval));
  return g_string_free (out, FALSE);
}

char *
al_editor_keys_label (const char *const *accels)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; accels && accels[i]; i++)
    {
      char *label = al_editor_key_label (accels[i]);
      gboolean seen = FALSE;

      for (guint j = 0; j < labels->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (labels, j), label);
      if (seen)
        g_free (label);
      else
        g_ptr_array_add (labels, label);
    }
  if (labels->len == 0)
    return NULL;
  g_ptr_array_add (labels, NULL);
  /* TRANSLATORS: between two keys that do the same, "Ctrl+Enter or F9". */
  return g_strjoinv (_(" or "), (char **) labels->pdata);
}

static void
send_kept_description (GtkWidget *widget)
{
  gtk_widget_set_focusable (widget, FALSE);
  gtk_widget_set_focusable (widget, TRUE);
}

/* GTK 4.8 keeps a description set before a screen reader first asked for
 * the widget, and sends it with the widget's first focus, after the focus
 * itself: Orca then says the instructions twice. A change of "focusable"
 * makes GTK send what it kept; on screen and before the focus, Orca lets
 * it pass. For a focusable widget whose description is set before it is
 * shown. */
void
al_editor_describe_before_focus (GtkWidget *widget)
{
  g_signal_connect (widget, "map", G_CALLBACK (send_kept_description), NULL);
}

GtkLabel *
al_editor_new_proposal_note (void)
{
  GtkLabel *note = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_wrap (note, TRUE);
  gtk_label_set_xalign (note, 0);
  gtk_widget_add_css_class (GTK_WIDGET (note), "proposal-note");
  gtk_widget_set_visible (GTK_WIDGET (note), FALSE);
  return note;
}
