/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "al-task.h"

G_BEGIN_DECLS

#define AL_TYPE_QUEUE (al_queue_get_type ())
G_DECLARE_DERIVABLE_TYPE (AlQueue, al_queue, AL, QUEUE, GObject)

/* Where the workstation gets tasks and sends results: the embedded local
 * queue or a lab server. Every call returns at once; work happens off the
 * main loop. A client's next_async, submit_async and record_async complete
 * a GTask of the queue with g_task_return_pointer or an error; the
 * _finish functions are the queue's own. */
struct _AlQueueClass
{
  GObjectClass parent_class;

  void     (*next_async)    (AlQueue             *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  void     (*submit_async)  (AlQueue             *self,
                             AlTask              *task,
                             json_t              *result,
                             gint64               lead_time_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  void     (*report_broken) (AlQueue             *self,
                             AlTask              *task,
                             const char          *reason);
  void     (*pass_async)    (AlQueue             *self,
                             AlTask              *task,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  gboolean (*pass_finish)   (AlQueue             *self,
                             GAsyncResult        *result,
                             GError             **error);
  void     (*post_event)    (AlQueue             *self,
                             const char          *type,
                             json_t              *data);
  void     (*record_async)  (AlQueue             *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  void     (*flush_async)   (AlQueue             *self,
                             int                  timeout_ms,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
  void     (*unsent)        (AlQueue             *self,
                             int                 *waiting,
                             int                 *refused);
};

void     al_queue_next_async    (AlQueue             *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
AlTask  *al_queue_next_finish   (AlQueue             *self,
                                 GAsyncResult        *result,
                                 GError             **error);
void     al_queue_submit_async  (AlQueue             *self,
                                 AlTask              *task,
                                 json_t              *result,
                                 gint64               lead_time_ms,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
json_t  *al_queue_submit_finish (AlQueue             *self,
                                 GAsyncResult        *result,
                                 GError             **error);
void     al_queue_report_broken (AlQueue             *self,
                                 AlTask              *task,
                                 const char          *reason);
/* "I can't do this one", with a reason code (al_store_pass_reasons): the
 * task goes to someone else. Fails with AL_STORE_ERROR_TOO_MANY_PASSES
 * when the participant passed on as many as allowed today; then the task
 * stays theirs. */
void     al_queue_pass_async    (AlQueue             *self,
                                 AlTask              *task,
                                 const char          *reason,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean al_queue_pass_finish   (AlQueue             *self,
                                 GAsyncResult        *result,
                                 GError             **error);
void     al_queue_post_event    (AlQueue             *self,
                                 const char          *type,
                                 json_t              *data);

/* The participant's own work record (see al-work-record.h). */
void     al_queue_record_async  (AlQueue             *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
json_t  *al_queue_record_finish (AlQueue             *self,
                                 GAsyncResult        *result,
                                 GError             **error);

/* Gives what waits to be sent at most @timeout_ms to go (at quit); what
 * does not make it stays for the next start. Never fails. */
void     al_queue_flush_async   (AlQueue             *self,
                                 int                  timeout_ms,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
void     al_queue_flush_finish  (AlQueue             *self,
                                 GAsyncResult        *result);

/* Results of this run not received by the server: still to be sent, and
 * refused for good. Both 0 for the local queue. */
void     al_queue_unsent        (AlQueue             *self,
                                 int                 *waiting,
                                 int                 *refused);

void     al_queue_emit_notice   (AlQueue             *self,
                                 json_t              *notice);
void     al_queue_emit_delivered (AlQueue            *self,
                                 const char          *task_id,
                                 json_t              *response);
void     al_queue_emit_refused  (AlQueue             *self,
                                 const char          *task_id,
                                 int                  status,
                                 const char          *reason);

/* Voice mode: the next lease brings only tasks that can be done by ear
 * (unless the coach allowed image tasks). Read from worker threads. */
gboolean al_queue_get_voice     (AlQueue             *self);
void     al_queue_set_voice     (AlQueue             *self,
                                 gboolean             voice);

gboolean al_queue_get_online    (AlQueue             *self);
void     al_queue_set_online    (AlQueue             *self,
                                 gboolean             online);

G_END_DECLS
