/** Entry point: mounts the console into #app. */
import { render } from 'preact';
import { App } from './app.js';
import './styles/base.css';
import './styles/blocks.css';
import './styles/tables-forms.css';
import './styles/details-chart-dialog.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
