import { Page } from '../../components/page';
import { TerminalView } from '../../terminal/terminal-view';

/** The iPXE image builder arrives in its own issue; the output view it will use is already here. */
export function BuilderPage() {
  return (
    <Page
      title="Builder"
      intro="Build your own iPXE images (with an embedded script, your certificates, extra drivers)."
    >
      <div className="card">
        <p>
          The image builder comes in a later version of Bootlab. Until then, put the iPXE images you want to
          serve in the boot files folder (see Settings).
        </p>
      </div>
      <TerminalView title="Build output" emptyText="Nothing is running." />
    </Page>
  );
}
