/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "annolab-local-queue"

#include "config.h"

#include "al-local-queue.h"
#include "al-work-record.h"

struct _AlLocalQueue
{
  AlQueue parent_instance;

  AlStore *store;
  AlUser *user;
};

G_DEFINE_FINAL_TYPE (AlLocalQueue, al_local_queue, AL_TYPE_QUEUE)

typedef struct
{
  AlTask *task;
  json_t *result;
  gint64 lead_time_ms;
  char *text;
  char *type;
  gint64 at_ms;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->task, al_task_unref);
  g_clear_pointer (&job->result, json_decref);
  g_free (job->text);
  g_free (job->type);
  g_free (job);
}

static void
next_thread (GTask        *gtask,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AlLocalQueue *self = source;
  GError *error = NULL;
  AlTask *task = al_store_lease_mode (self->store, self->user, NULL,
                                      al_queue_get_voice (AL_QUEUE (self)) ? AL_LEASE_VOICE
                                                                           : AL_LEASE_SCREEN,
                                      &error);

  if (error)
    g_task_return_error (gtask, error);
  else
    g_task_return_pointer (gtask, task, (GDestroyNotify) al_task_unref);
}

static void
al_local_queue_next_async (AlQueue            *queue,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, al_local_queue_next_async);
  g_task_run_in_thread (gtask, next_thread);
}

static void
submit_thread (GTask        *gtask,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AlLocalQueue *self = source;
  Job *job = task_data;
  g_autofree char *key = g_uuid_string_random ();
  GError *error = NULL;
  json_t *response;

  response = al_store_submit (self->store, self->user, job->task->lease_id, key, job->result,
                              job->lead_time_ms, &error);
  if (response == NULL)
    {
      g_task_return_error (gtask, error);
      return;
    }
  /* The result is committed; the draft has done its job. */
  al_store_clear_draft (self->store, job->task->id, NULL);
  g_task_return_pointer (gtask, response, (GDestroyNotify) json_decref);
}

static void
al_local_queue_submit_async (AlQueue            *queue,
                             AlTask             *task,
                             json_t             *result,
                             gint64              lead_time_ms,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->task = al_task_ref (task);
  job->result = json_deep_copy (result);
  job->lead_time_ms = lead_time_ms;
  g_task_set_source_tag (gtask, al_local_queue_submit_async);
  g_task_set_task_data (gtask, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (gtask, submit_thread);
}

static void
broken_thread (GTask        *gtask,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AlLocalQueue *self = source;
  Job *job = task_data;
  g_autoptr (GError) error = NULL;

  if (!al_store_report_broken (self->store, self->user, job->task->lease_id, job->text, &error))
    g_warning ("Could not mark task %s as broken: %s", job->task->id, error->message);
  g_task_return_boolean (gtask, TRUE);
}

static void
al_local_queue_report_broken (AlQueue    *queue,
                              AlTask     *task,
                              const char *reason)
{
  g_autoptr (GTask) gtask = g_task_new (queue, NULL, NULL, NULL);
  Job *job = g_new0 (Job, 1);

  job->task = al_task_ref (task);
  job->text = g_strdup (reason);
  g_task_set_task_data (gtask, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (gtask, broken_thread);
}

static void
pass_thread (GTask        *gtask,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AlLocalQueue *self = source;
  Job *job = task_data;
  GError *error = NULL;

  if (al_store_pass (self->store, self->user, job->task->lease_id, job->text, &error))
    {
      al_store_clear_draft (self->store, job->task->id, NULL);
      g_task_return_boolean (gtask, TRUE);
    }
  else
    g_task_return_error (gtask, error);
}

static void
al_local_queue_pass_async (AlQueue            *queue,
                           AlTask             *task,
                           const char         *reason,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->task = al_task_ref (task);
  job->text = g_strdup (reason);
  g_task_set_task_data (gtask, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (gtask, pass_thread);
}

static gboolean
al_local_queue_pass_finish (AlQueue      *queue,
                            GAsyncResult *result,
                            GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
event_thread (GTask        *gtask,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AlLocalQueue *self = source;
  Job *job = task_data;
  g_autoptr (GError) error = NULL;

  if (!al_store_add_event (self->store, self->user, job->type, job->at_ms, job->result, &error))
    g_warning ("Could not record the %s event: %s", job->type, error->message);
  g_task_return_boolean (gtask, TRUE);
}

static void
al_local_queue_post_event (AlQueue    *queue,
                           const char *type,
                           json_t     *data)
{
  AlLocalQueue *self = AL_LOCAL_QUEUE (queue);
  g_autoptr (GTask) gtask = g_task_new (queue, NULL, NULL, NULL);
  Job *job = g_new0 (Job, 1);

  job->type = g_strdup (type);
  job->at_ms = al_store_now_ms (self->store);
  job->result = data ? json_deep_copy (data) : NULL;
  g_task_set_task_data (gtask, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (gtask, event_thread);
}

static void
record_thread (GTask        *gtask,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AlLocalQueue *self = source;
  GError *error = NULL;
  json_t *record = al_work_record_build (self->store, self->user, &error);

  if (record)
    g_task_return_pointer (gtask, record, (GDestroyNotify) json_decref);
  else
    g_task_return_error (gtask, error);
}

static void
al_local_queue_record_async (AlQueue            *queue,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) gtask = g_task_new (queue, cancellable, callback, user_data);
  g_task_run_in_thread (gtask, record_thread);
}

static void
al_local_queue_finalize (GObject *object)
{
  AlLocalQueue *self = AL_LOCAL_QUEUE (object);

  g_clear_pointer (&self->user, al_user_free);
  g_clear_pointer (&self->store, al_store_unref);
  G_OBJECT_CLASS (al_local_queue_parent_class)->finalize (object);
}

static void
al_local_queue_class_init (AlLocalQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AlQueueClass *queue_class = AL_QUEUE_CLASS (klass);

  object_class->finalize = al_local_queue_finalize;
  queue_class->next_async = al_local_queue_next_async;
  queue_class->submit_async = al_local_queue_submit_async;
  queue_class->report_broken = al_local_queue_report_broken;
  queue_class->pass_async = al_local_queue_pass_async;
  queue_class->pass_finish = al_local_queue_pass_finish;
  queue_class->post_event = al_local_queue_post_event;
  queue_class->record_async = al_local_queue_record_async;
}

static void
al_local_queue_init (AlLocalQueue *self)
{
}

AlLocalQueue *
al_local_queue_new (AlStore    *store,
                    const char *participant,
                    GError    **error)
{
  AlLocalQueue *self;
  AlUser *user;

  g_return_val_if_fail (store != NULL, NULL);

  user = al_store_ensure_user (store, participant, "participant", "default", error);
  if (user == NULL)
    return NULL;
  self = g_object_new (AL_TYPE_LOCAL_QUEUE, NULL);
  self->store = al_store_ref (store);
  self->user = user;
  return self;
}

AlStore *
al_local_queue_get_store (AlLocalQueue *self)
{
  g_return_val_if_fail (AL_IS_LOCAL_QUEUE (self), NULL);
  return self->store;
}
