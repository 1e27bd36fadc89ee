/**
 * CodeMirror 6 editor for config.pbtxt: highlighting, line numbers, history, inline diagnostics
 * (from shared/pbtxt, positioned at line:col), Ctrl/Cmd+S to save. Controlled: `value` in,
 * `onChange` out; external value changes (revert, form edits) are applied as one transaction.
 */
import { useEffect, useRef } from 'react';
import { EditorState, type Extension } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  highlightSpecialChars,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { autocompletion, completionKeymap, type CompletionContext } from '@codemirror/autocomplete';
import { completionsAt } from '../lib/pbtxtCompletion';
import { pbtxtHighlight, pbtxtLanguage } from '../lib/pbtxtLanguage';
import type { Diagnostic } from '../../../shared/diagnostic';
import { minimalChange, toCmDiagnostics } from '../lib/cmText';

export { offsetOf } from '../lib/cmText';

export interface EditorHandle {
  view: EditorView;
}

const theme = EditorView.theme(
  {
    '&': { color: '#e6ebf1', backgroundColor: '#0e1116' },
    '.cm-content': { caretColor: '#4aa3ff' },
    '.cm-tooltip': { backgroundColor: '#1b212a', border: '1px solid #3a4555', color: '#e6ebf1' },
    '.cm-diagnostic-error': { borderLeftColor: '#ff6b6b' },
    '.cm-diagnostic-warning': { borderLeftColor: '#f2b84b' },
    '.cm-lintRange-error': {
      backgroundImage: 'none',
      textDecoration: 'underline wavy #ff6b6b',
      textUnderlineOffset: '3px',
    },
    '.cm-lintRange-warning': {
      backgroundImage: 'none',
      textDecoration: 'underline wavy #f2b84b',
      textUnderlineOffset: '3px',
    },
    '.cm-matchingBracket': { backgroundColor: 'rgba(74,163,255,0.2)', outline: 'none' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#2f7fd6', color: '#fff' },
    '.cm-completionDetail': { color: '#7d8a9a', marginLeft: '10px', fontStyle: 'normal' },
  },
  { dark: true },
);

export function baseExtensions(readOnly = false): Extension[] {
  return [
    lineNumbers(),
    highlightSpecialChars(),
    drawSelection(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    bracketMatching(),
    pbtxtLanguage,
    pbtxtHighlight,
    theme,
    EditorState.readOnly.of(readOnly),
    EditorView.editable.of(!readOnly),
  ];
}

/** Field names and enum values from the ModelConfig schema, where the cursor is (lib/pbtxtCompletion). */
function schemaCompletions(ctx: CompletionContext) {
  const r = completionsAt(ctx.state.doc.toString(), ctx.pos);
  // Unprompted only once a word is started; Ctrl+Space asks anywhere.
  if (!r || (r.from === ctx.pos && !ctx.explicit)) return null;
  return {
    from: r.from,
    options: r.items.map((i) => ({
      label: i.label,
      detail: i.detail,
      type: i.kind === 'field' ? 'property' : 'enum',
      apply: i.apply,
    })),
    validFor: /^\w*$/,
  };
}

export function CodeEditor(props: {
  value: string;
  onChange(text: string): void;
  diagnostics: readonly Diagnostic[];
  onSave?(): void;
  onReady?(view: EditorView): void;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const cb = useRef(props);
  cb.current = props;

  useEffect(() => {
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          ...baseExtensions(),
          history(),
          indentOnInput(),
          lintGutter(),
          autocompletion({ override: [schemaCompletions], icons: false }),
          keymap.of([
            { key: 'Mod-s', preventDefault: true, run: () => (cb.current.onSave?.(), true) },
            ...completionKeymap,
            indentWithTab,
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) cb.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    cb.current.onReady?.(view);
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // The editor is created once; value/diagnostics are synced below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const cur = view.state.doc.toString();
    if (cur !== props.value) {
      view.dispatch({ changes: minimalChange(cur, props.value) });
    }
  }, [props.value]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    view.dispatch(setDiagnostics(view.state, toCmDiagnostics(view.state, props.diagnostics)));
  }, [props.diagnostics, props.value]);

  return <div className="cm-host" ref={host} data-testid={props.testId ?? 'code-editor'} />;
}
