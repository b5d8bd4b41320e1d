/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "al-plan.h"

G_BEGIN_DECLS

typedef enum
{
  AL_PACE_NOT_STARTED,
  AL_PACE_WORKING,
  AL_PACE_GRACE,     /* the break is due; the task in hand may be finished */
  AL_PACE_BREAK,
  AL_PACE_PAUSE,     /* an extra pause the participant took */
  AL_PACE_ENDED,
} AlPaceState;

typedef enum
{
  AL_PACE_EVENT_SESSION_START,
  AL_PACE_EVENT_BLOCK_START,
  AL_PACE_EVENT_WARNING,        /* value: milliseconds to the break */
  AL_PACE_EVENT_GRACE_START,    /* value: the grace in milliseconds */
  AL_PACE_EVENT_BREAK_START,
  AL_PACE_EVENT_BREAK_END,
  AL_PACE_EVENT_PAUSE_START,
  AL_PACE_EVENT_PAUSE_END,
  AL_PACE_EVENT_SESSION_END,
} AlPaceEvent;

/* Time comes from outside so tests can run a day in microseconds.
 * boot_ms counts on through suspend (CLOCK_BOOTTIME), so a suspended
 * hour is an hour gone, while changes of the wall clock do not move a
 * personal block; room rhythms follow wall_ms. */
typedef struct
{
  gint64 (*boot_ms) (gpointer data);
  gint64 (*wall_ms) (gpointer data);
  const char *(*boot_id) (gpointer data);
  gpointer data;
} AlClock;

typedef void (*AlPaceFunc) (AlPaceEvent event,
                            gint64      value,
                            gpointer    user_data);

typedef struct _AlPacing AlPacing;

const AlClock *al_clock_system        (void);

AlPacing   *al_pacing_new           (const AlPlan  *plan,
                                     const AlClock *clock,
                                     AlPaceFunc     func,
                                     gpointer       user_data);
void        al_pacing_free          (AlPacing      *pacing);
void        al_pacing_start         (AlPacing      *pacing);
void        al_pacing_tick          (AlPacing      *pacing);
void        al_pacing_set_task_open (AlPacing      *pacing,
                                     gboolean       open);
void        al_pacing_task_finished (AlPacing      *pacing);
gboolean    al_pacing_pause_start   (AlPacing      *pacing);
gboolean    al_pacing_pause_end     (AlPacing      *pacing);
gboolean    al_pacing_end_break     (AlPacing      *pacing);
void        al_pacing_set_plan      (AlPacing      *pacing,
                                     const AlPlan  *plan);

AlPaceState al_pacing_get_state     (AlPacing      *pacing);
int         al_pacing_get_block     (AlPacing      *pacing);
int         al_pacing_get_blocks    (AlPacing      *pacing);
gint64      al_pacing_get_ms_left   (AlPacing      *pacing);
gint64      al_pacing_get_worked_ms (AlPacing      *pacing);
int         al_pacing_get_pauses    (AlPacing      *pacing);
const char *al_pace_state_to_string (AlPaceState    state);

/* Everything needed to go on after a crash or restart, as JSON text. */
char       *al_pacing_save          (AlPacing      *pacing);
gboolean    al_pacing_restore       (AlPacing      *pacing,
                                     const char    *saved,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AlPacing, al_pacing_free)

G_END_DECLS
