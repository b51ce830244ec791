import { type DescField, type DescMessage, getOption } from '@bufbuild/protobuf';
import { nullable_items, whole_output } from '@mesh/contracts';

/**
 * How a procedure's value sits in a message where the plain rule (the value's keys are the
 * message's fields) cannot say it, from the contracts' field options.
 */
export interface MessageLayout {
  /** The field holding the procedure's whole output (an array, or an object that may be null). */
  whole: DescField | undefined;
  /** `event_id`, which a stream message carries beside the data. */
  eventId: DescField | undefined;
}

const layouts = new WeakMap<DescMessage, MessageLayout>();
const nullableItems = new WeakMap<DescField, DescField | null>();

export function layoutOf(desc: DescMessage): MessageLayout {
  let layout = layouts.get(desc);
  if (!layout) {
    layout = {
      whole: desc.fields.find((field) => getOption(field, whole_output)),
      eventId: desc.field.eventId,
    };
    layouts.set(desc, layout);
  }
  return layout;
}

/** For a `nullable_items` list, the wrapper's one field holding each item (unset for null). */
export function nullableItemField(field: DescField): DescField | undefined {
  let inner = nullableItems.get(field);
  if (inner === undefined) {
    const wrapper = field.fieldKind === 'list' && field.listKind === 'message' ? field.message : undefined;
    inner = wrapper && getOption(field, nullable_items) ? (wrapper.fields[0] ?? null) : null;
    nullableItems.set(field, inner);
  }
  return inner ?? undefined;
}
