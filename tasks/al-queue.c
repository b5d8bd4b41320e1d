/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-queue"

#include "config.h"

#include "al-queue.h"

typedef struct
{
  gboolean online;
  int voice;        /* atomic */
} AlQueuePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AlQueue, al_queue, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ONLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  NOTICE,
  DELIVERED,
  REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
al_queue_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  AlQueue *self = AL_QUEUE (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, al_queue_get_online (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
al_queue_class_init (AlQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = al_queue_get_property;

  /* Whether the lab server answers; the local queue is always online. */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* From the coach, through the server: {"type": "help_ack" | "end_break" |
   * "settings" | "room", ...}; the json_t is borrowed. */
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* A queued result reached the server: (task id, the server's response). */
  signals[DELIVERED] = g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                                     G_TYPE_POINTER);
  /* The server refused a queued result for good (a 4xx other than 408 and
   * 429): (task id, HTTP status, the server's reason). The result stays in
   * the outbox, marked refused, and is not sent again. */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT,
                                   G_TYPE_STRING);
}

void
al_queue_emit_notice (AlQueue *self,
                      json_t  *notice)
{
  g_signal_emit (self, signals[NOTICE], 0, notice);
}

void
al_queue_emit_delivered (AlQueue    *self,
                         const char *task_id,
                         json_t     *response)
{
  g_signal_emit (self, signals[DELIVERED], 0, task_id, response);
}

void
al_queue_emit_refused (AlQueue    *self,
                       const char *task_id,
                       int         status,
                       const char *reason)
{
  g_signal_emit (self, signals[REFUSED], 0, task_id, status, reason);
}

static void
al_queue_init (AlQueue *self)
{
  AlQueuePrivate *priv = al_queue_get_instance_private (self);
  priv->online = TRUE;
}

gboolean
al_queue_get_online (AlQueue *self)
{
  AlQueuePrivate *priv = al_queue_get_instance_private (self);
  g_return_val_if_fail (AL_IS_QUEUE (self), FALSE);
  return priv->online;
}

void
al_queue_set_online (AlQueue *self,
                     gboolean online)
{
  AlQueuePrivate *priv = al_queue_get_instance_private (self);
  g_return_if_fail (AL_IS_QUEUE (self));
  if (priv->online == !!online)
    return;
  priv->online = !!online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

void
al_queue_next_async (AlQueue            *self,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_return_if_fail (AL_IS_QUEUE (self));
  AL_QUEUE_GET_CLASS (self)->next_async (self, cancellable, callback, user_data);
}

AlTask *
al_queue_next_finish (AlQueue      *self,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (AL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
al_queue_submit_async (AlQueue            *self,
                       AlTask             *task,
                       json_t             *result,
                       gint64              lead_time_ms,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (AL_IS_QUEUE (self));
  g_return_if_fail (task != NULL && result != NULL);
  AL_QUEUE_GET_CLASS (self)->submit_async (self, task, result, lead_time_ms, cancellable, callback,
                                           user_data);
}

json_t *
al_queue_submit_finish (AlQueue      *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (AL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
al_queue_report_broken (AlQueue    *self,
                        AlTask     *task,
                        const char *reason)
{
  g_return_if_fail (AL_IS_QUEUE (self));
  AL_QUEUE_GET_CLASS (self)->report_broken (self, task, reason);
}

void
al_queue_pass_async (AlQueue            *self,
                     AlTask             *task,
                     const char         *reason,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_return_if_fail (AL_IS_QUEUE (self));
  g_return_if_fail (task != NULL && reason != NULL);
  AL_QUEUE_GET_CLASS (self)->pass_async (self, task, reason, cancellable, callback, user_data);
}

gboolean
al_queue_pass_finish (AlQueue      *self,
                      GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (AL_IS_QUEUE (self), FALSE);
  return AL_QUEUE_GET_CLASS (self)->pass_finish (self, result, error);
}

gboolean
al_queue_get_voice (AlQueue *self)
{
  AlQueuePrivate *priv = al_queue_get_instance_private (self);
  g_return_val_if_fail (AL_IS_QUEUE (self), FALSE);
  return g_atomic_int_get (&priv->voice);
}

void
al_queue_set_voice (AlQueue *self,
                    gboolean voice)
{
  AlQueuePrivate *priv = al_queue_get_instance_private (self);
  g_return_if_fail (AL_IS_QUEUE (self));
  g_atomic_int_set (&priv->voice, !!voice);
}

void
al_queue_post_event (AlQueue    *self,
                     const char *type,
                     json_t     *data)
{
  g_return_if_fail (AL_IS_QUEUE (self));
  if (AL_QUEUE_GET_CLASS (self)->post_event)
    AL_QUEUE_GET_CLASS (self)->post_event (self, type, data);
}

void
al_queue_record_async (AlQueue            *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (AL_IS_QUEUE (self));
  AL_QUEUE_GET_CLASS (self)->record_async (self, cancellable, callback, user_data);
}

json_t *
al_queue_record_finish (AlQueue      *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (AL_IS_QUEUE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
al_queue_flush_async (AlQueue            *self,
                      int                 timeout_ms,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (AL_IS_QUEUE (self));
  if (AL_QUEUE_GET_CLASS (self)->flush_async)
    {
      AL_QUEUE_GET_CLASS (self)->flush_async (self, timeout_ms, callback, user_data);
      return;
    }
  /* Nothing waits anywhere: the local queue writes at once. */
  task = g_task_new (self, NULL, callback, user_data);
  g_task_return_boolean (task, TRUE);
}

void
al_queue_flush_finish (AlQueue      *self,
                       GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, self));
  g_task_propagate_boolean (G_TASK (result), NULL);
}

void
al_queue_unsent (AlQueue *self,
                 int     *waiting,
                 int     *refused)
{
  *waiting = *refused = 0;
  g_return_if_fail (AL_IS_QUEUE (self));
  if (AL_QUEUE_GET_CLASS (self)->unsent)
    AL_QUEUE_GET_CLASS (self)->unsent (self, waiting, refused);
}
